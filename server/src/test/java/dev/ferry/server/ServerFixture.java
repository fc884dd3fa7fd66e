package dev.ferry.server;

import dev.ferry.auth.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real server for a test class: TLS on, 127.0.0.1, a port the OS picks, a temp data dir. */
final class ServerFixture implements AutoCloseable {

  static final String ADMIN_PASSWORD = "admin-secret-1";

  final Vertx vertx;
  final FerryServer server;
  final Path data;
  final JsonObject config;

  private ServerFixture(Vertx vertx, FerryServer server, Path data, JsonObject config) {
    this.vertx = vertx;
    this.server = server;
    this.data = data;
    this.config = config;
  }

  /** Starts a server; {@code overrides} holds any settings the test changes. */
  static ServerFixture start(Path data, JsonObject overrides) throws Exception {
    return start(Vertx.vertx(), data, overrides);
  }

  /** Starts a server on {@code vertx} (a clustered one, say), which {@link #close} closes too. */
  static ServerFixture start(Vertx vertx, Path data, JsonObject overrides) throws Exception {
    JsonObject config = new JsonObject()
      .put("data", data.toString())
      .put("port", 0)
      .put("adminPassword", ADMIN_PASSWORD)
      // Fewer PBKDF2 iterations keep the suite fast; the default is exercised in LoginCostTest.
      .put("pbkdf2Iterations", 10_000)
      .mergeIn(overrides);
    FerryServer server = FerryServer.start(vertx, config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new ServerFixture(vertx, server, data, config);
  }

  /** The account stores the session and admin suites run against. */
  static final String[] ACCOUNT_STORES = {"file", "postgres"};

  /**
   * The settings of an account store: none for the file store (the default), a new empty
   * database of the JVM's test PostgreSQL ({@link TestPostgres}) for {@code postgres}.
   */
  static JsonObject accountStore(String store) {
    if (store.equals("file")) {
      return new JsonObject();
    }
    return new JsonObject()
      .put("accountStore", "postgres")
      .put("databaseUrl", TestPostgres.shared().newDatabase())
      .put("databasePassword", TestPostgres.PASSWORD);
  }

  /** The stored accounts as text: users.json, or the rows of the database's accounts table. */
  String storedAccounts() throws Exception {
    String url = config.getString("databaseUrl");
    if (url == null) {
      return Files.readString(data.resolve("users.json"));
    }
    return TestPostgres.shared().psql(url.substring(url.lastIndexOf('/') + 1), "SELECT name, role, hash, locked FROM accounts");
  }

  int port() {
    return server.port();
  }

  WireClient admin() throws Exception {
    return WireClient.login(port(), "admin", ADMIN_PASSWORD, "admin");
  }

  /** Creates a user through the admin commands, as an operator would. */
  void addUser(String account, String password, long quota) throws Exception {
    try (WireClient admin = admin()) {
      String reply = admin.call("useradd", account + "*" + password + "*user*" + quota);
      if (!reply.equals("OK")) {
        throw new IllegalStateException("useradd " + account + ": " + reply);
      }
    }
  }

  Path home(String account) {
    return data.resolve("files").resolve("home").resolve(account);
  }

  @Override
  public void close() throws Exception {
    server.close().compose(v -> vertx.close()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
