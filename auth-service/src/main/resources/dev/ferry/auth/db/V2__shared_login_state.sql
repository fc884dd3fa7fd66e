-- State every auth replica must share, beside the accounts.

-- Keys made once at random by the first replica that needs one (the session ticket MAC key),
-- so a ticket minted by one replica is honoured by every other.
CREATE TABLE service_keys (
  name       text PRIMARY KEY,
  key        bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Failed logins per client address in a window of one minute from its first failure.
CREATE TABLE address_failures (
  address         text PRIMARY KEY,
  window_start_ms bigint NOT NULL,
  failures        integer NOT NULL
);
CREATE INDEX address_failures_window_start ON address_failures (window_start_ms);
