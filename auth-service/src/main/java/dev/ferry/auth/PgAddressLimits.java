package dev.ferry.auth;

import dev.ferry.auth.db.AccountDatabase;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed logins per client address in the {@code address_failures} table of the shared database,
 * so an address that spreads its guesses over several auth replicas meets one limit. The window
 * count is shared; logins still under way are counted by each replica for its own (they last
 * one password hash), as {@link AddressFailureLedger} does. Not thread-safe: used from the auth
 * verticle's event loop.
 */
final class PgAddressLimits implements AddressLimits {

  private static final System.Logger LOG = System.getLogger(PgAddressLimits.class.getName());
  private static final String COUNT = "INSERT INTO address_failures AS a (address, window_start_ms, failures)"
    + " VALUES ($1, $2::bigint, 1)"
    + " ON CONFLICT (address) DO UPDATE SET"
    + "  window_start_ms = CASE WHEN a.window_start_ms <= $3::bigint THEN $2::bigint ELSE a.window_start_ms END,"
    + "  failures = CASE WHEN a.window_start_ms <= $3::bigint THEN 1 ELSE a.failures + 1 END"
    + " RETURNING failures";

  private final Pool pool;
  private final int limit;
  private final LongSupplier clockMillis;
  /** Logins under way per address: at most the hashing queue's worth in all. */
  private final Map<String, Integer> pending = new HashMap<>();

  /** @param limit failures per address and window; {@code 0} limits nothing */
  PgAddressLimits(Pool pool, int limit, LongSupplier clockMillis) {
    this.pool = pool;
    this.limit = limit;
    this.clockMillis = clockMillis;
  }

  @Override
  public Future<Boolean> begin(String address) {
    if (limit == 0 || address.isEmpty()) {
      return Future.succeededFuture(true);
    }
    String key = AddressFailureLedger.key(address);
    // Counted as under way before the query, so logins arriving together cannot all pass it.
    pending.merge(key, 1, Integer::sum);
    return pool.preparedQuery("SELECT failures FROM address_failures WHERE address = $1 AND window_start_ms > $2::bigint")
      .execute(Tuple.of(key, clockMillis.getAsLong() - AddressFailureLedger.WINDOW_MILLIS))
      .map(rows -> {
        int failures = rows.size() == 0 ? 0 : rows.iterator().next().getInteger(0);
        int underWay = pending.getOrDefault(key, 1) - 1;
        if (failures > 0 && failures + underWay >= limit) {
          release(key);
          return false;
        }
        return true;
      })
      .onFailure(e -> release(key))
      .recover(AccountDatabase::unavailable);
  }

  @Override
  public void end(String address, boolean failed) {
    if (limit == 0 || address.isEmpty()) {
      return;
    }
    String key = AddressFailureLedger.key(address);
    release(key);
    if (!failed) {
      return;
    }
    long now = clockMillis.getAsLong();
    pool.preparedQuery(COUNT).execute(Tuple.of(key, now, now - AddressFailureLedger.WINDOW_MILLIS))
      .onSuccess(rows -> {
        if (rows.iterator().next().getInteger(0) == limit) {
          LOG.log(System.Logger.Level.WARNING, "client address " + key + " reached " + limit
            + " failed logins within a minute: its logins are refused until the minute is over");
        }
      })
      .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "cannot count a failed login of address " + key + ": "
        + AccountDatabase.describe(e)));
  }

  /** Deletes the windows that have ended; the number deleted. */
  Future<Integer> dropEnded() {
    return pool.preparedQuery("DELETE FROM address_failures WHERE window_start_ms <= $1::bigint")
      .execute(Tuple.of(clockMillis.getAsLong() - AddressFailureLedger.WINDOW_MILLIS))
      .map(rows -> rows.rowCount());
  }

  private void release(String key) {
    pending.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
  }
}
