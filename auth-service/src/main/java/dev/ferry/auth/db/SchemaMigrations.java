package dev.ferry.auth.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings the account database's schema up to date at start: the SQL files {@link #STEPS} names,
 * in order, each applied in a transaction of its own together with its row in
 * {@code schema_version}, so a step is either applied and recorded or not at all. A session
 * advisory lock is held throughout, so replicas starting at once take turns: the first applies
 * the steps, the others find them applied. A database whose schema is newer than this Ferry
 * knows is refused rather than used.
 */
public final class SchemaMigrations {

  /** The steps, in order; step {@code i} brings the schema to version {@code i + 1}. */
  static final List<String> STEPS = List.of("V1__accounts.sql", "V2__shared_login_state.sql", "V3__address_failures.sql",
    "V4__account_keys.sql");
  /** The version this Ferry writes and reads. */
  public static final int LATEST = STEPS.size();
  /** The advisory lock key of migrations: "ferry" in ASCII, so no other user of the database picks it by chance. */
  static final long LOCK_KEY = 0x6665727279L;

  private SchemaMigrations() {
  }

  /** Migrates to {@link #LATEST}; the version the schema is at afterwards. */
  public static Future<Integer> migrate(Vertx vertx, Pool pool) {
    return migrate(vertx, pool, LATEST);
  }

  /** Migrates to {@code target} (tests stop at an older version to test the upgrade from it). */
  static Future<Integer> migrate(Vertx vertx, Pool pool, int target) {
    return vertx.executeBlocking(SchemaMigrations::readSteps, false)
      .compose(sql -> pool.withConnection(conn -> conn.query("SELECT pg_advisory_lock(" + LOCK_KEY + ")").execute()
      .compose(locked -> applyPending(conn, sql, target)
        .eventually(() -> conn.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")").execute()))));
  }

  private static Future<Integer> applyPending(SqlConnection conn, List<String> sql, int target) {
    // Looked up first rather than CREATE ... IF NOT EXISTS, which logs a notice on every start.
    return conn.query("SELECT to_regclass('schema_version') IS NULL").execute()
      .compose(rows -> rows.iterator().next().getBoolean(0)
        ? conn.query("CREATE TABLE schema_version ("
          + "version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())").execute()
        : Future.succeededFuture())
      .compose(created -> currentVersion(conn))
      .compose(current -> {
        if (current > LATEST) {
          return Future.failedFuture(new IllegalStateException("its schema is at version " + current
            + ", newer than this Ferry knows (" + LATEST + "): run a Ferry at least as new as the one that upgraded it"));
        }
        Future<Integer> steps = Future.succeededFuture(current);
        for (int version = current + 1; version <= target; version++) {
          int next = version;
          steps = steps.compose(done -> apply(conn, next, sql.get(next - 1)));
        }
        return steps;
      });
  }

  /** The version recorded, 0 for an empty database. */
  public static Future<Integer> currentVersion(SqlConnection conn) {
    return conn.query("SELECT coalesce(max(version), 0) FROM schema_version").execute()
      .map(rows -> {
        Row row = rows.iterator().next();
        return row.getInteger(0);
      });
  }

  private static Future<Integer> apply(SqlConnection conn, int version, String sql) {
    String name = STEPS.get(version - 1);
    return conn.begin().compose(tx -> conn.query(sql).execute()
      .compose(applied -> conn.preparedQuery("INSERT INTO schema_version (version, name) VALUES ($1, $2)")
        .execute(Tuple.of(version, name)))
      .compose(recorded -> tx.commit())
      .recover(error -> tx.rollback().transform(rolledBack -> Future.failedFuture(
        new IllegalStateException("schema step " + name + " failed: " + AccountDatabase.describe(error), error))))
      .map(version));
  }

  /** Every step's SQL, from this jar; blocking. */
  private static List<String> readSteps() throws IOException {
    List<String> sql = new ArrayList<>();
    for (String name : STEPS) {
      try (InputStream in = SchemaMigrations.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IOException("missing resource " + name);
        }
        sql.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return sql;
  }
}
