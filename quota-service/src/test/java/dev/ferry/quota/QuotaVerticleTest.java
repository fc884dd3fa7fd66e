package dev.ferry.quota;

import dev.ferry.auth.TestTokens;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.StorageTokens;
import dev.ferry.protocol.bus.TokenKeys;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What quota-service decides on its own, through the real bus with real tokens: who may ask,
 * the shape of requests, and durable changes that need no other service. Usage and reservations,
 * which need auth and storage, are tested against the real services in {@link QuotaUsageTest},
 * {@link QuotaReservationTest}, {@link ReservationExpiryTest} and {@link QuotaClusterTest}.
 */
@ExtendWith(VertxExtension.class)
class QuotaVerticleTest {

  private static final String SECRET = "quota-test-secret-of-at-least-32-chars!";

  @TempDir
  Path data;
  Path quotaFile;
  BusClient quota;
  String admin;
  String alice;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws IOException {
    quotaFile = data.resolve(QuotaOptions.QUOTA_FILE);
    Files.writeString(quotaFile, "{\"version\":1,\"limits\":{\"alice\":100,\"bob\":200}}");
    admin = TestTokens.issue(vertx, "root", Role.ADMIN);
    alice = TestTokens.issue(vertx, "alice", Role.USER);
    quota = new BusClient(vertx, Addresses.QUOTA);
    vertx.deployVerticle(new QuotaVerticle(), new DeploymentOptions().setConfig(config(data)))
      .onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject config(Path data) {
    return TestTokens.put(new JsonObject().put("data", data.toString()).put("defaultQuota", 5000));
  }

  private static JsonObject account(String account) {
    return new JsonObject().put(QuotaApi.ACCOUNT, account);
  }

  private static void assertFails(Future<?> request, Failure expected, VertxTestContext ctx) {
    request.onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(Failure.of(e)).isEqualTo(expected);
      ctx.completeNow();
    })));
  }

  @Test
  void noTokenIsUnauthenticated(VertxTestContext ctx) {
    assertFails(quota.request(QuotaApi.GET, null, account("alice")), Failure.UNAUTHENTICATED, ctx);
  }

  @Test
  void aForgedTokenIsUnauthenticated(Vertx vertx, VertxTestContext ctx) {
    String forged = TestTokens.forged(vertx, "root", Role.ADMIN);
    assertFails(quota.request(QuotaApi.SET, forged, account("alice").put(QuotaApi.LIMIT, 1)), Failure.UNAUTHENTICATED, ctx);
  }

  @Test
  void aUserMayNotAskForAnotherAccount(VertxTestContext ctx) {
    assertFails(quota.request(QuotaApi.GET, alice, account("bob")), Failure.NO_PERMISSION, ctx);
  }

  @Test
  void aUserMayNotSetALimitNotEvenTheirOwn(VertxTestContext ctx) {
    assertFails(quota.request(QuotaApi.SET, alice, account("alice").put(QuotaApi.LIMIT, 0)), Failure.NO_PERMISSION, ctx);
  }

  @Test
  void aUserMayNotForgetALimit(VertxTestContext ctx) {
    assertFails(quota.request(QuotaApi.FORGET, alice, account("alice")), Failure.NO_PERMISSION, ctx);
  }

  @Test
  void aNegativeLimitIsABadRequest(VertxTestContext ctx) {
    assertFails(quota.request(QuotaApi.SET, admin, account("alice").put(QuotaApi.LIMIT, -1)), Failure.BAD_REQUEST, ctx);
  }

  @Test
  void aLimitThatIsNotAWholeNumberIsABadRequest(VertxTestContext ctx) {
    Future<JsonObject> fraction = quota.request(QuotaApi.SET, admin, account("alice").put(QuotaApi.LIMIT, 1.5));
    Future<JsonObject> text = quota.request(QuotaApi.SET, admin, account("alice").put(QuotaApi.LIMIT, "100"));
    Future<JsonObject> missing = quota.request(QuotaApi.SET, admin, new JsonObject().put(QuotaApi.LIMIT, 100));
    Future.join(fraction, text, missing).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(Failure.of(fraction.cause())).isEqualTo(Failure.BAD_REQUEST);
      assertThat(Failure.of(text.cause())).isEqualTo(Failure.BAD_REQUEST);
      assertThat(Failure.of(missing.cause())).isEqualTo(Failure.BAD_REQUEST);
      ctx.completeNow();
    })));
  }

  @Test
  void anUnknownActionIsABadRequest(VertxTestContext ctx) {
    assertFails(quota.request("frobnicate", admin, account("alice")), Failure.BAD_REQUEST, ctx);
  }

  @Test
  void forgetDropsTheLimitDurably(Vertx vertx, VertxTestContext ctx) {
    quota.request(QuotaApi.FORGET, admin, account("alice"))
      .compose(reply -> quota.request(QuotaApi.FORGET, admin, account("nobody")).map(reply))
      .compose(reply -> vertx.fileSystem().readFile(quotaFile.toString()).map(saved -> {
        ctx.verify(() -> {
          assertThat(reply).isEqualTo(new JsonObject());
          assertThat(saved.toJsonObject()).isEqualTo(new JsonObject("{\"version\":1,\"limits\":{\"bob\":200}}"));
        });
        return saved;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void concurrentChangesAreSavedInTurnAndAllKept(Vertx vertx, VertxTestContext ctx) {
    Future.all(quota.request(QuotaApi.FORGET, admin, account("alice")), quota.request(QuotaApi.FORGET, admin, account("bob")))
      .compose(both -> vertx.fileSystem().readFile(quotaFile.toString()))
      .onComplete(ctx.succeeding(saved -> ctx.verify(() -> {
        assertThat(saved.toJsonObject()).isEqualTo(new JsonObject("{\"version\":1,\"limits\":{}}"));
        ctx.completeNow();
      })));
  }

  @Test
  void aCorruptQuotaFileStopsTheServiceFromStarting(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path other = Files.createDirectories(data.resolve("other"));
    Files.writeString(other.resolve(QuotaOptions.QUOTA_FILE), "{\"version\":1,\"limits\":{\"alice\":");
    vertx.deployVerticle(new QuotaVerticle(), new DeploymentOptions().setConfig(config(other)))
      .onComplete(ctx.failingThenComplete());
  }

  /**
   * quota-service may start before any storage node has made its key pair: ADJUST is refused
   * until the public key is on the data volume, and taken once it is, without a restart.
   */
  @Test
  void adjustWaitsForStoragesKeyOnTheDataVolume(Vertx vertx, VertxTestContext ctx) {
    String[] early = TokenKeys.generate();
    JsonObject grow = new JsonObject().put(QuotaApi.ACCOUNT, "alice").put(QuotaApi.DELTA, 10);
    quota.request(QuotaApi.ADJUST, new StorageTokens.Signer(vertx, early[0], early[1]).token(), grow)
      .transform(refused -> {
        ctx.verify(() -> assertThat(Failure.of(refused.cause())).isEqualTo(Failure.NO_PERMISSION));
        return vertx.executeBlocking(() -> StorageTokens.loadOrCreate(data), false);
      })
      .compose(pair -> quota.request(QuotaApi.ADJUST, new StorageTokens.Signer(vertx, pair[0], pair[1]).token(), grow))
      .onComplete(ctx.succeeding(taken -> ctx.verify(() -> {
        assertThat(taken).isEqualTo(new JsonObject());
        ctx.completeNow();
      })));
  }
}
