package dev.ferry.quota;

import dev.ferry.auth.db.AccountDatabase;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The limits in the {@code quota_limits} table of the account database every quota replica
 * shares. A change runs in one transaction under an advisory lock of its own, so two replicas
 * changing limits at once take turns, and writes only the rows that differ.
 */
final class PgLimitsStore implements LimitsStore {

  /** The transaction lock of limit changes: "quota" in ASCII. */
  private static final long LOCK_KEY = 0x71756f7461L;

  private final AccountDatabase database;
  private final long defaultLimit;

  PgLimitsStore(AccountDatabase database, long defaultLimit) {
    this.database = database;
    this.defaultLimit = defaultLimit;
  }

  @Override
  public Future<QuotaLimits> load() {
    return database.pool().withConnection(this::read).recover(AccountDatabase::unavailable);
  }

  @Override
  public Future<QuotaLimits> change(UnaryOperator<QuotaLimits> change) {
    return database.pool().withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute()
        .compose(locked -> read(conn))
        .compose(current -> {
          QuotaLimits next = change.apply(current);
          return write(conn, current.explicitLimits(), next.explicitLimits()).map(next);
        }))
      .recover(AccountDatabase::unavailable);
  }

  private Future<QuotaLimits> read(SqlConnection conn) {
    return conn.query("SELECT account, limit_bytes FROM quota_limits").execute().map(rows -> {
      QuotaLimits limits = QuotaLimits.empty(defaultLimit);
      for (var row : rows) {
        limits = limits.withLimit(row.getString(0), row.getLong(1));
      }
      return limits;
    });
  }

  private static Future<Void> write(SqlConnection conn, Map<String, Long> before, Map<String, Long> after) {
    Future<Void> done = Future.succeededFuture();
    Map<String, Long> changed = new HashMap<>();
    after.forEach((account, limit) -> {
      if (!Objects.equals(before.get(account), limit)) {
        changed.put(account, limit);
      }
    });
    for (Map.Entry<String, Long> e : changed.entrySet()) {
      done = done.compose(v -> conn.preparedQuery("INSERT INTO quota_limits (account, limit_bytes) VALUES ($1, $2)"
          + " ON CONFLICT (account) DO UPDATE SET limit_bytes = excluded.limit_bytes, updated_at = now()")
        .execute(Tuple.of(e.getKey(), e.getValue())).mapEmpty());
    }
    for (String account : before.keySet()) {
      if (!after.containsKey(account)) {
        done = done.compose(v -> conn.preparedQuery("DELETE FROM quota_limits WHERE account = $1")
          .execute(Tuple.of(account)).mapEmpty());
      }
    }
    return done;
  }

  @Override
  public Future<Void> close() {
    return database.close();
  }
}
