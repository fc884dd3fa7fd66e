package dev.ferry.client;

import dev.ferry.server.FerryServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real server for one test class, as {@code @RegisterExtension static final RunningServer server}:
 * started before the class's first test ({@link Cli#serverConfig}: TLS on, 127.0.0.1, a port the
 * OS picks) on a Vert.x of its own, closed after its last, its data in a temporary directory.
 *
 * <p>The CLI tests talking to a server all need this and nothing more in common, so it lives here
 * once; what a class needs beyond it (more accounts, a proxy in front) it sets up itself, from
 * {@link #port()}, {@link #vertx()} and {@link #addUser}.
 */
final class RunningServer implements BeforeAllCallback, AfterAllCallback {

  private static final long TIMEOUT_SECONDS = 60;

  /** Alice's quota, or null for no alice. */
  private final String aliceQuota;
  /** False for a plain-TCP server, which a relay in front of it can read; clients then need --no-tls. */
  private final boolean tls;
  private Path root;
  private Path adminConfig;
  private Vertx vertx;
  private FerryServer server;

  private RunningServer(String aliceQuota, boolean tls) {
    this.aliceQuota = aliceQuota;
    this.tls = tls;
  }

  /** Only the admin account: for a test whose own steps create the user. */
  static RunningServer withoutUsers() {
    return new RunningServer(null, true);
  }

  /** With user alice ({@link Cli#ALICE_PASSWORD}) created before the first test. */
  static RunningServer withAlice(String quota) {
    return new RunningServer(quota, true);
  }

  /** As {@link #withAlice}, speaking plain TCP ({@code tls=false}): clients need {@code --no-tls}. */
  static RunningServer withAliceWithoutTls(String quota) {
    return new RunningServer(quota, false);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    root = Files.createTempDirectory("ferry-server-");
    adminConfig = Files.createDirectory(root.resolve("admin-config"));
    Path data = Files.createDirectory(root.resolve("data"));
    vertx = Vertx.vertx();
    server = FerryServer.start(vertx, Cli.serverConfig(data).put("tls", tls)).toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (aliceQuota != null) {
      addUser("alice", Cli.ALICE_PASSWORD, aliceQuota);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (server != null) {
        server.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } finally {
      deleteTree(root);
    }
  }

  int port() {
    return server.port();
  }

  /** The Vert.x the server runs on, for what a test puts beside it. */
  Vertx vertx() {
    return vertx;
  }

  /** Creates a user through the CLI as the admin, from a config directory of the admin's own. */
  void addUser(String account, String password, String quota) {
    if (tls) {
      Cli.addUser(adminConfig, port(), account, password, quota);
      return;
    }
    Cli.Result r = Cli.run(Cli.env(adminConfig, Cli.ADMIN_PASSWORD), "--admin", "--no-tls", "useradd",
      "admin@127.0.0.1:" + port(), account, "user", quota, password);
    if (r.exit() != ExitCode.OK) {
      throw new IllegalStateException("useradd " + account + " failed: " + r);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
