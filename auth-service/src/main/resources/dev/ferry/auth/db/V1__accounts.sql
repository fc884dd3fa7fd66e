-- Accounts, per-account quota limits and the lockout after failed logins.
CREATE TABLE accounts (
  name        text PRIMARY KEY,
  role        text NOT NULL CHECK (role IN ('admin', 'user')),
  -- The self-describing PBKDF2 string ($pbkdf2$it=...$salt$hash); never a clear password.
  hash        text NOT NULL,
  -- The admin's lock, which only an admin (or ferry-server --unlock) lifts.
  locked      boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- An account without a row has the configured default limit; 0 is unlimited.
CREATE TABLE quota_limits (
  account     text PRIMARY KEY,
  limit_bytes bigint NOT NULL CHECK (limit_bytes >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Consecutive failed logins per account and client address, and the lockout they lead to.
-- Times are milliseconds since the epoch, by the clock of the replica that wrote them.
CREATE TABLE login_failures (
  account         text NOT NULL,
  address         text NOT NULL,
  failures        integer NOT NULL,
  last_failure_ms bigint NOT NULL,
  locked_until_ms bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (account, address)
);
CREATE INDEX login_failures_last_failure ON login_failures (last_failure_ms);
