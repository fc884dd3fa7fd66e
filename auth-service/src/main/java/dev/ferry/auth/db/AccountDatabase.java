package dev.ferry.auth.db;

import dev.ferry.protocol.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgException;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PostgreSQL database of accounts, limits and lockouts that auth and quota replicas share
 * ({@code accountStore=postgres}): a pool of the Vert.x reactive client, opened with the schema
 * brought up to date by {@link SchemaMigrations}. Nothing here blocks an event loop: the password
 * file is read on a worker, and every query is asynchronous.
 *
 * <p>While the database is unreachable requests fail at once with {@link #unavailable} errors;
 * the pool opens new connections as soon as it is back, with no restart of Ferry.
 */
public final class AccountDatabase {

  /** Connections one service of a process holds at most. */
  public static final int MAX_CONNECTIONS = 8;
  /** Requests that may wait for a connection; more fail at once. */
  public static final int MAX_WAITING = 256;
  /** How long a request waits for a connection (and so for an unreachable server) before it fails. */
  public static final int CONNECT_TIMEOUT_SECONDS = 5;
  private static final System.Logger LOG = System.getLogger(AccountDatabase.class.getName());

  private final Pool pool;
  private final String url;

  private AccountDatabase(Pool pool, String url) {
    this.pool = pool;
    this.url = url;
  }

  /** Connects and migrates; fails with a message that names the database and the cause. */
  public static Future<AccountDatabase> open(Vertx vertx, DatabaseOptions options) {
    if (!options.postgres()) {
      return Future.failedFuture(new IllegalStateException("accountStore is not " + DatabaseOptions.POSTGRES));
    }
    Future<String> password = options.passwordFile() == null
      ? Future.succeededFuture(options.password())
      : vertx.executeBlocking(() -> readPasswordFile(options.passwordFile()), false);
    return password.compose(secret -> {
      PgConnectOptions connect = new PgConnectOptions()
        .setHost(options.host())
        .setPort(options.port())
        .setDatabase(options.database())
        .setUser(options.user())
        .setPassword(secret);
      PoolOptions pooling = new PoolOptions()
        .setMaxSize(MAX_CONNECTIONS)
        .setMaxWaitQueueSize(MAX_WAITING)
        .setConnectionTimeout(CONNECT_TIMEOUT_SECONDS)
        .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
      Pool pool = PgBuilder.pool().with(pooling).connectingTo(connect).using(vertx).build();
      AccountDatabase db = new AccountDatabase(pool, options.url());
      return SchemaMigrations.migrate(vertx, pool)
        .map(version -> {
          LOG.log(System.Logger.Level.INFO, "account database " + options.url() + " at schema version " + version);
          return db;
        })
        .recover(error -> pool.close().transform(closed -> Future.failedFuture(
          new IllegalStateException("cannot use the account database " + options.url() + ": " + describe(error), error))));
    });
  }

  /** The file's one line, its line end left out; blocking. Its content is never echoed. */
  static String readPasswordFile(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot read " + DatabaseOptions.DATABASE_PASSWORD_FILE + " " + file + ": " + e.getMessage(), e);
    }
    String password = text.strip();
    if (password.isEmpty()) {
      throw new IOException(DatabaseOptions.DATABASE_PASSWORD_FILE + " " + file + " is empty");
    }
    return password;
  }

  /**
   * A request that failed on the database: when the database could not be reached (no
   * connection, a connection lost, the server shutting down or refusing connections), logged here
   * with its detail and failed {@link Failure#UNAVAILABLE}, which the caller may try again once
   * the database is back. Any other error (a typed failure, a bug in a statement) passes unchanged.
   */
  public static <T> Future<T> unavailable(Throwable error) {
    if (error instanceof ReplyException) {
      return Future.failedFuture(error);
    }
    if (error instanceof PgException pg && !isUnreachable(pg.getSqlState())) {
      return Future.failedFuture(error);
    }
    LOG.log(System.Logger.Level.WARNING, "account database request failed: " + describe(error));
    return Future.failedFuture(Failure.UNAVAILABLE.exception());
  }

  /** SQLSTATE classes 08 (connection exception), 53 (insufficient resources), 57P (shutting down, starting up). */
  private static boolean isUnreachable(String sqlState) {
    return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("53") || sqlState.startsWith("57P"));
  }

  /** The cause's message, or its kind when it has none (a refused connection says little). */
  public static String describe(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getMessage() == null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  public Pool pool() {
    return pool;
  }

  /** {@code databaseUrl}, for messages. */
  public String url() {
    return url;
  }

  public Future<Void> close() {
    return pool.close();
  }
}
