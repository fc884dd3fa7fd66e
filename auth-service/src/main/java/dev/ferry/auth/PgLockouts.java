package dev.ferry.auth;

import dev.ferry.auth.db.AccountDatabase;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The lockouts in the {@code login_failures} table of the shared database, one row per account
 * and client address (counted as {@link AddressFailureLedger#key} does). Counting a failure is
 * one upsert that never touches a locked-out row, so concurrent failures through any number of
 * replicas are each counted once, and the one that reaches the threshold starts the lockout; a
 * right password clears the row in one statement that leaves a locked-out row alone. Rows whose
 * last failure and lockout are both {@code lockoutSeconds} old are stale, counted as absent, and
 * deleted by {@link #dropStale}.
 */
final class PgLockouts implements Lockouts {

  private static final String FAIL = "INSERT INTO login_failures AS f (account, address, failures, last_failure_ms, locked_until_ms)"
    + " VALUES ($1, $2, 1, $3::bigint, CASE WHEN 1 >= $4::integer THEN $3::bigint + $5::bigint ELSE 0 END)"
    + " ON CONFLICT (account, address) DO UPDATE SET"
    + "  failures = CASE WHEN f.last_failure_ms <= $3 - $5 THEN 1 ELSE f.failures + 1 END,"
    + "  last_failure_ms = $3,"
    + "  locked_until_ms = CASE WHEN (CASE WHEN f.last_failure_ms <= $3 - $5 THEN 1 ELSE f.failures + 1 END) >= $4"
    + "   THEN $3 + $5 ELSE 0 END"
    // A locked-out row is left as it is (attempts during a lockout never extend it): no row returned.
    + " WHERE f.locked_until_ms <= $3"
    + " RETURNING locked_until_ms";
  private static final String ADMIT = "WITH cleared AS (DELETE FROM login_failures"
    + "  WHERE account = $1 AND address = $2 AND locked_until_ms <= $3 RETURNING 1)"
    + " SELECT NOT EXISTS (SELECT 1 FROM login_failures WHERE account = $1 AND address = $2 AND locked_until_ms > $3)";

  private final Pool pool;
  private final int threshold;
  private final long lockoutMillis;
  private final LongSupplier clockMillis;

  PgLockouts(Pool pool, int threshold, long lockoutSeconds, LongSupplier clockMillis) {
    this.pool = pool;
    this.threshold = threshold;
    this.lockoutMillis = lockoutSeconds * 1000;
    this.clockMillis = clockMillis;
  }

  @Override
  public Future<Failed> fail(String account, String address) {
    long now = clockMillis.getAsLong();
    return pool.preparedQuery(FAIL).execute(Tuple.of(account, key(address), now, threshold, lockoutMillis))
      .map(rows -> {
        if (rows.size() == 0) {
          return Failed.ALREADY_LOCKED;
        }
        return rows.iterator().next().getLong(0) > now ? Failed.NOW_LOCKED : Failed.COUNTED;
      })
      .recover(AccountDatabase::unavailable);
  }

  @Override
  public Future<Boolean> admit(String account, String address) {
    return pool.preparedQuery(ADMIT).execute(Tuple.of(account, key(address), clockMillis.getAsLong()))
      .map(rows -> rows.iterator().next().getBoolean(0))
      .recover(AccountDatabase::unavailable);
  }

  @Override
  public Future<Boolean> isLockedOut(String account, String address) {
    return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM login_failures WHERE account = $1 AND address = $2"
        + " AND locked_until_ms > $3)")
      .execute(Tuple.of(account, key(address), clockMillis.getAsLong()))
      .map(rows -> rows.iterator().next().getBoolean(0))
      .recover(AccountDatabase::unavailable);
  }

  @Override
  public Future<Set<String>> lockedOutAccounts() {
    return pool.preparedQuery("SELECT DISTINCT account FROM login_failures WHERE locked_until_ms > $1")
      .execute(Tuple.of(clockMillis.getAsLong()))
      .map(rows -> {
        Set<String> accounts = new HashSet<>();
        rows.forEach(row -> accounts.add(row.getString(0)));
        return accounts;
      })
      .recover(AccountDatabase::unavailable);
  }

  @Override
  public Future<Void> clear(String account) {
    return pool.preparedQuery("DELETE FROM login_failures WHERE account = $1").execute(Tuple.of(account))
      .<Void>mapEmpty()
      .recover(AccountDatabase::unavailable);
  }

  /** Deletes the stale rows; the number deleted. */
  Future<Integer> dropStale() {
    long now = clockMillis.getAsLong();
    return pool.preparedQuery("DELETE FROM login_failures WHERE last_failure_ms <= $1 AND locked_until_ms <= $2")
      .execute(Tuple.of(now - lockoutMillis, now))
      .map(rows -> rows.rowCount())
      .recover(AccountDatabase::unavailable);
  }

  private static String key(String address) {
    return address.isEmpty() ? "" : AddressFailureLedger.key(address);
  }
}
