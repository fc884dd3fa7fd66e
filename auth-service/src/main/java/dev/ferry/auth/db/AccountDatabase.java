package dev.ferry.auth.db;

import dev.ferry.protocol.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgException;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
      tls(connect, options);
      PoolOptions pooling = new PoolOptions()
        .setMaxSize(MAX_CONNECTIONS)
        .setMaxWaitQueueSize(MAX_WAITING)
        .setConnectionTimeout(CONNECT_TIMEOUT_SECONDS)
        .setConnectionTimeoutUnit(TimeUnit.SECONDS);
      // A host that drops packets fails a connect in seconds, not after the operating system's minutes.
      NetClientOptions net = new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_SECONDS * 1000);
      Pool pool = PgBuilder.pool().with(pooling).with(net).connectingTo(connect).using(vertx).build();
      AccountDatabase db = new AccountDatabase(pool, options.url());
      return SchemaMigrations.migrate(vertx, pool)
        .compose(version -> db.encrypted().map(encrypted -> {
          LOG.log(System.Logger.Level.INFO, "account database " + options.url() + " at schema version " + version
            + (encrypted ? ", over TLS (" : ", NOT encrypted (") + DatabaseOptions.DATABASE_SSL_MODE + "="
            + options.sslMode().setting() + ")");
          return db;
        }))
        .recover(error -> pool.close().transform(closed -> Future.failedFuture(
          new IllegalStateException("cannot use the account database " + options.url() + ": " + describe(error), error))));
    });
  }

  /**
   * The connection's TLS as libpq would make it for {@code databaseSslMode}: {@code prefer} and
   * {@code require} encrypt without checking whom to ({@code prefer} falls back to a clear
   * connection when the server offers no TLS); {@code verify-ca} checks the certificate against
   * {@code databaseCaPath}, and {@code verify-full} also that it names the URL's host.
   */
  private static void tls(PgConnectOptions connect, DatabaseOptions options) {
    ClientSSLOptions ssl = new ClientSSLOptions();
    switch (options.sslMode()) {
      case DISABLE -> connect.setSslMode(SslMode.DISABLE);
      case PREFER -> connect.setSslMode(SslMode.PREFER).setSslOptions(ssl.setTrustAll(true));
      case REQUIRE -> connect.setSslMode(SslMode.REQUIRE).setSslOptions(ssl.setTrustAll(true));
      case VERIFY_CA -> connect.setSslMode(SslMode.VERIFY_CA).setSslOptions(ssl
        .setTrustOptions(new PemTrustOptions().addCertPath(options.caPath().toString())).setHostnameVerificationAlgorithm(""));
      case VERIFY_FULL -> connect.setSslMode(SslMode.VERIFY_FULL).setSslOptions(ssl
        .setTrustOptions(new PemTrustOptions().addCertPath(options.caPath().toString())).setHostnameVerificationAlgorithm("HTTPS"));
    }
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

  /** Whether the connection a query gets is encrypted (PostgreSQL's own view of it). */
  public Future<Boolean> encrypted() {
    return pool.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").execute()
      .map(rows -> rows.iterator().hasNext() && Boolean.TRUE.equals(rows.iterator().next().getBoolean(0)));
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
