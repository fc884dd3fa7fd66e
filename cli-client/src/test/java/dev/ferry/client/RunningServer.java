package dev.ferry.client;

import dev.ferry.server.FerryServer;
import dev.ferry.storage.StorageOptions;
import dev.ferry.storage.StorageVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
  /** True when this extension, not the server, deploys the storage service, so that a test can replace it. */
  private final boolean ownStorage;
  /** The storage service's deployment when {@link #ownStorage}. */
  private volatile String storage;
  private Path root;
  private Path adminConfig;
  private Vertx vertx;
  private FerryServer server;

  private RunningServer(String aliceQuota, boolean tls, boolean ownStorage) {
    this.aliceQuota = aliceQuota;
    this.tls = tls;
    this.ownStorage = ownStorage;
  }

  /** Only the admin account: for a test whose own steps create the user. */
  static RunningServer withoutUsers() {
    return new RunningServer(null, true, false);
  }

  /** With user alice ({@link Cli#ALICE_PASSWORD}) created before the first test. */
  static RunningServer withAlice(String quota) {
    return new RunningServer(quota, true, false);
  }

  /**
   * As {@link #withAlice}, the storage service deployed beside the server by this extension (the
   * server runs the others) so that {@link #replaceStorage} can take it away mid-transfer.
   */
  static RunningServer withAliceAndReplaceableStorage(String quota) {
    return new RunningServer(quota, true, true);
  }

  /** As {@link #withAlice}, speaking plain TCP ({@code tls=false}): clients need {@code --no-tls}. */
  static RunningServer withAliceWithoutTls(String quota) {
    return new RunningServer(quota, false, false);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    root = Files.createTempDirectory("ferry-server-");
    adminConfig = Files.createDirectory(root.resolve("admin-config"));
    Path data = Files.createDirectory(root.resolve("data"));
    vertx = Vertx.vertx();
    JsonObject config = Cli.serverConfig(data).put("tls", tls);
    if (ownStorage) {
      config.put("services", "auth,quota,gateway");
    }
    server = FerryServer.start(vertx, config).toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (ownStorage) {
      // No client has connected yet: the gateway without storage for a moment is never seen.
      storage = deployStorage().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
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

  /** Where the server keeps {@code account}'s home, for a test that fills it behind the server's back. */
  Path home(String account) {
    return root.resolve("data").resolve(StorageOptions.FILES_DIR).resolve("home").resolve(account);
  }

  /** The Vert.x the server runs on, for what a test puts beside it. */
  Vertx vertx() {
    return vertx;
  }

  /**
   * A storage node going away, as a killed storage process in a cluster: a second storage service
   * (the server's own settings, the same data) starts, then the first is undeployed, its node
   * address left without a handler, so that whatever the gateway still asks of it fails. Only
   * for {@link #withAliceAndReplaceableStorage}.
   */
  Future<Void> replaceStorage() {
    if (!ownStorage) {
      return Future.failedFuture(new IllegalStateException("the server's own storage service cannot be replaced"));
    }
    String first = storage;
    return deployStorage().compose(second -> {
      storage = second;
      return vertx.undeploy(first);
    });
  }

  private Future<String> deployStorage() {
    return vertx.deployVerticle(new StorageVerticle(), new DeploymentOptions().setConfig(server.config()));
  }

  /** Creates a user through the CLI as the admin, from a config directory of the admin's own. */
  void addUser(String account, String password, String quota) {
    if (tls) {
      Cli.addUser(adminConfig, port(), account, password, quota);
      return;
    }
    Cli.Result r = Cli.piped(Cli.env(adminConfig, Cli.ADMIN_PASSWORD), password + "\n", "--admin", "--no-tls", "useradd",
      "admin@127.0.0.1:" + port(), account, "user", quota);
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
