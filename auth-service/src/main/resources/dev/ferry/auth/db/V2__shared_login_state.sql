-- State every auth replica must share, beside the accounts.

-- Keys made once at random by the first replica that needs one (the session ticket MAC key),
-- so a ticket minted by one replica is honoured by every other.
CREATE TABLE service_keys (
  name       text PRIMARY KEY,
  key        bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

