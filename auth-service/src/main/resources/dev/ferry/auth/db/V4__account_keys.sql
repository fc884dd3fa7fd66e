-- The SSH public keys each account logs in with at the SFTP door, each "type base64-blob";
-- dropped with the account.
CREATE TABLE account_keys (
  account     text PRIMARY KEY REFERENCES accounts (name) ON DELETE CASCADE,
  keys        text[] NOT NULL CHECK (cardinality(keys) BETWEEN 1 AND 16),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
