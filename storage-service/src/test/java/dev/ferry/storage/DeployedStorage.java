package dev.ferry.storage;

import dev.ferry.auth.TestTokens;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real {@link StorageVerticle} on a real {@link StorageFixture} tree in a temp directory, with
 * session tokens signed by the test key for the admin, alice and bob.
 */
@ExtendWith(VertxExtension.class)
abstract class DeployedStorage {

  @TempDir
  Path data;
  Path files;
  Path outside;
  BusClient storage;
  String admin;
  String alice;
  String bob;
  String deploymentId;
  /** What stands in for quota-service, unless {@link #quotaStandIn()} is false. */
  QuotaRecorder quota;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws IOException {
    files = data.resolve("files");
    outside = Files.createDirectories(data.resolve("outside"));
    StorageFixture.build(files, outside);
    admin = TestTokens.issue(vertx, "root", Role.ADMIN);
    alice = TestTokens.issue(vertx, "alice", Role.USER);
    bob = TestTokens.issue(vertx, "bob", Role.USER);
    storage = new BusClient(vertx, Addresses.STORAGE);
    Future<?> quotaReady = quotaStandIn() ? QuotaRecorder.register(vertx, data).onSuccess(r -> quota = r) : Future.succeededFuture();
    quotaReady.compose(v -> deployStorage(vertx)).onComplete(ctx.succeedingThenComplete());
  }

  /** Whether a {@link QuotaRecorder} answers for quota-service (storage reserves at every upload open). */
  boolean quotaStandIn() {
    return true;
  }

  /** The service's config; a test class changes settings by overriding it. */
  JsonObject config() {
    return TestTokens.put(new JsonObject().put("data", data.toString()));
  }

  Future<String> deployStorage(Vertx vertx) {
    return vertx.deployVerticle(new StorageVerticle(), new DeploymentOptions().setConfig(config()))
      .onSuccess(id -> deploymentId = id);
  }

  /** Undeploys the service and deploys a new one on the same data directory (a restart). */
  Future<String> restartStorage(Vertx vertx) {
    return vertx.undeploy(deploymentId).compose(v -> deployStorage(vertx));
  }

  /** JUnit warns about every link to outside the temp dir it deletes; this one is expected. */
  @AfterEach
  void removeLinkToEtc() throws IOException {
    Files.deleteIfExists(files.resolve("home/alice/etc"));
  }

  static JsonObject path(String path) {
    return new JsonObject().put(StorageApi.PATH, path);
  }

  static JsonObject account(String account) {
    return new JsonObject().put(StorageApi.ACCOUNT, account);
  }

  static JsonObject move(String from, String to) {
    return new JsonObject().put(StorageApi.FROM, from).put(StorageApi.TO, to);
  }
}
