-- Failed logins per client address (an IPv6 one by its /64), in a window of one minute that
-- starts at the address's first failure, counted across every auth replica.
CREATE TABLE address_failures (
  address         text PRIMARY KEY,
  window_start_ms bigint NOT NULL,
  failures        integer NOT NULL
);
CREATE INDEX address_failures_window_start ON address_failures (window_start_ms);
