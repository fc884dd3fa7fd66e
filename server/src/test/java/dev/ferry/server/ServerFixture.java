package dev.ferry.server;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real server for a test class: TLS on, 127.0.0.1, a port the OS picks, a temp data dir. */
final class ServerFixture implements AutoCloseable {

  static final String ADMIN_PASSWORD = "admin-secret-1";

  final Vertx vertx;
  final FerryServer server;
  final Path data;

  private ServerFixture(Vertx vertx, FerryServer server, Path data) {
    this.vertx = vertx;
    this.server = server;
    this.data = data;
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
      .put("sftpPort", -1)
      .put("adminPassword", ADMIN_PASSWORD)
      // Fewer PBKDF2 iterations keep the suite fast; the default is exercised in LoginCostTest.
      .put("pbkdf2Iterations", 10_000)
      .mergeIn(overrides);
    FerryServer server = FerryServer.start(vertx, config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new ServerFixture(vertx, server, data);
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
