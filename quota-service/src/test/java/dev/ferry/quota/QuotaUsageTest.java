package dev.ferry.quota;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.StorageApi;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.StorageTokens;
import dev.ferry.protocol.bus.TokenKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static dev.ferry.quota.RealServices.MIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage kept current: counted from the disk (by the real storage-service) the first time it is
 * needed, then changed by ADJUST only, set again by an admin RECOUNT, dropped by FORGET.
 */
@ExtendWith(VertxExtension.class)
class QuotaUsageTest {

  private static final long ON_DISK = 1000;

  @TempDir
  Path data;
  Path home;
  BusClient quota;
  BusClient storage;
  String admin;
  String alice;
  /** A token of storage-service, signed with the key pair the real storage-service created. */
  String storageService;
  /** The key pair the real storage-service made: [private, public]. */
  String[] storagePair;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws IOException {
    RealServices.writeLimits(data, new JsonObject().put("alice", 5 * MIB));
    admin = RealServices.token(vertx, RealServices.ADMIN, Role.ADMIN);
    alice = RealServices.token(vertx, "alice", Role.USER);
    quota = new BusClient(vertx, Addresses.QUOTA);
    storage = new BusClient(vertx, Addresses.STORAGE);
    home = RealServices.home(data, "alice");
    JsonObject config = RealServices.config(data, QuotaOptions.DEFAULT_RESERVATION_SECONDS);
    RealServices.deployAuthAndStorage(vertx, config, "alice")
      .compose(v -> vertx.executeBlocking(() -> {
        RealServices.writeFile(home.resolve("a.bin"), ON_DISK);
        return null;
      }, false))
      .compose(v -> vertx.executeBlocking(() -> StorageTokens.loadOrCreate(data), false))
      .map(pair -> {
        storagePair = pair;
        return storageService = new StorageTokens.Signer(vertx, pair[0], pair[1]).token();
      })
      .compose(v -> RealServices.deploy(vertx, new QuotaVerticle(), config))
      .onComplete(ctx.succeedingThenComplete());
  }

  private Future<Long> used() {
    return quota.request(QuotaApi.GET, alice, account()).map(reply -> reply.getLong(QuotaApi.USED));
  }

  private Future<JsonObject> adjust(long delta) {
    return quota.request(QuotaApi.ADJUST, storageService, account().put(QuotaApi.DELTA, delta));
  }

  private static JsonObject account() {
    return new JsonObject().put(QuotaApi.ACCOUNT, "alice");
  }

  @Test
  void getCountsTheDiskFirstThenAdjustAloneChangesIt(VertxTestContext ctx) {
    used().compose(first -> adjust(500).compose(v -> used())
        .compose(grown -> adjust(-200).compose(v -> quota.request(QuotaApi.GET, alice, account()))
          .map(shrunk -> new JsonObject().put("first", first).put("grown", grown).put("shrunk", shrunk))))
      .onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
        assertThat(seen.getLong("first")).isEqualTo(ON_DISK);
        assertThat(seen.getLong("grown")).isEqualTo(ON_DISK + 500);
        assertThat(seen.getJsonObject("shrunk")).isEqualTo(account().put(QuotaApi.USED, ON_DISK + 300).put(QuotaApi.LIMIT, 5 * MIB));
        ctx.completeNow();
      })));
  }

  @Test
  void adjustBeforeTheFirstCountDoesNothing(VertxTestContext ctx) {
    adjust(12345).compose(v -> used()).onComplete(ctx.succeeding(used -> ctx.verify(() -> {
      assertThat(used).as("the first count sees the disk only").isEqualTo(ON_DISK);
      ctx.completeNow();
    })));
  }

  @Test
  void recountEqualsStoragesCountOfTheDisk(Vertx vertx, VertxTestContext ctx) {
    used()
      .compose(first -> vertx.executeBlocking(() -> {
        // Behind the services' backs: no ADJUST is sent for these.
        RealServices.writeFile(home.resolve("b.bin"), 2 * MIB);
        RealServices.writeFile(home.resolve("deep").resolve("er").resolve("c.bin"), 777);
        return first;
      }, false))
      .compose(first -> used().compose(stale -> quota.request(QuotaApi.RECOUNT, admin, account())
        .compose(recounted -> storage.request(StorageApi.USAGE, admin, new JsonObject().put(StorageApi.ACCOUNT, "alice"))
          .compose(disk -> used().map(after -> {
            ctx.verify(() -> {
              assertThat(stale).as("usage is kept, not recounted on every GET").isEqualTo(first).isEqualTo(ON_DISK);
              assertThat(recounted).isEqualTo(account().put(QuotaApi.USED, disk.getLong(StorageApi.BYTES)).put(QuotaApi.LIMIT, 5 * MIB));
              assertThat(disk.getLong(StorageApi.BYTES)).isEqualTo(ON_DISK + 2 * MIB + 777);
              assertThat(after).isEqualTo(disk.getLong(StorageApi.BYTES));
            });
            return after;
          })))))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void forgetDropsUsageSoItIsCountedAfresh(VertxTestContext ctx) {
    used().compose(v -> adjust(4000)).compose(v -> used())
      .compose(drifted -> quota.request(QuotaApi.FORGET, admin, account())
        .compose(v -> quota.request(QuotaApi.GET, alice, account()))
        .map(after -> new JsonObject().put("drifted", drifted).put("after", after)))
      .onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
        assertThat(seen.getLong("drifted")).isEqualTo(ON_DISK + 4000);
        assertThat(seen.getJsonObject("after"))
          .as("usage counted afresh, and the limit back to the default")
          .isEqualTo(account().put(QuotaApi.USED, ON_DISK).put(QuotaApi.LIMIT, 100 * MIB));
        ctx.completeNow();
      })));
  }

  @Test
  void usageThatWouldGoBelowZeroIsCountedAgainFromTheDisk(VertxTestContext ctx) {
    used().compose(v -> adjust(-ON_DISK - 1)).compose(v -> used())
      .onComplete(ctx.succeeding(used -> ctx.verify(() -> {
        assertThat(used).isEqualTo(ON_DISK);
        ctx.completeNow();
      })));
  }

  @Test
  void badDeltasAndUnknownAccountsAreRefused(VertxTestContext ctx) {
    Future<JsonObject> fraction = quota.request(QuotaApi.ADJUST, storageService, account().put(QuotaApi.DELTA, 1.5));
    Future<JsonObject> text = quota.request(QuotaApi.ADJUST, storageService, account().put(QuotaApi.DELTA, "1"));
    Future<JsonObject> missing = quota.request(QuotaApi.ADJUST, storageService, account());
    Future<JsonObject> nobody = quota.request(QuotaApi.RECOUNT, admin, new JsonObject().put(QuotaApi.ACCOUNT, "nobody"));
    Future<JsonObject> nobodyGet = quota.request(QuotaApi.GET, admin, new JsonObject().put(QuotaApi.ACCOUNT, "nobody"));
    Future.join(fraction, text, missing, nobody, nobodyGet).onComplete(done -> ctx.verify(() -> {
      assertThat(Failure.of(fraction.cause())).isEqualTo(Failure.BAD_REQUEST);
      assertThat(Failure.of(text.cause())).isEqualTo(Failure.BAD_REQUEST);
      assertThat(Failure.of(missing.cause())).isEqualTo(Failure.BAD_REQUEST);
      assertThat(Failure.of(nobody.cause())).isEqualTo(Failure.NO_SUCH_ACCOUNT);
      assertThat(Failure.of(nobodyGet.cause())).isEqualTo(Failure.NO_SUCH_ACCOUNT);
      ctx.completeNow();
    }));
  }

  /**
   * QuotaApi RENEW and RELEASE: storage, which holds the reservations of the uploads it runs,
   * renews and releases them with its own token; a token of another key is refused.
   */
  @Test
  void storagesOwnTokenRenewsAndReleasesAReservation(Vertx vertx, VertxTestContext ctx) {
    String[] otherPair = TokenKeys.generate();
    String forged = new StorageTokens.Signer(vertx, otherPair[0], otherPair[1]).token();
    quota.request(QuotaApi.RESERVE, alice, RealServices.reserve("alice", MIB))
      .compose(granted -> {
        JsonObject held = RealServices.reservation("alice", granted.getString(QuotaApi.RESERVATION));
        return quota.request(QuotaApi.RENEW, storageService, held)
          .compose(renewed -> failure(quota.request(QuotaApi.RENEW, forged, held)))
          .compose(refused -> {
            ctx.verify(() -> assertThat(refused).as("a renew signed by another key").isEqualTo(Failure.UNAUTHENTICATED));
            return quota.request(QuotaApi.RELEASE, storageService, held);
          })
          .compose(released -> failure(quota.request(QuotaApi.RENEW, storageService, held)));
      })
      .onComplete(ctx.succeeding(gone -> ctx.verify(() -> {
        assertThat(gone).as("a renew after the release").isEqualTo(Failure.NOT_FOUND);
        ctx.completeNow();
      })));
  }

  private static Future<Failure> failure(Future<?> request) {
    return request.transform(ar -> Future.succeededFuture(ar.failed() ? Failure.of(ar.cause()) : null));
  }

  @Test
  void onlyStoragesOwnTokenMayAdjust(Vertx vertx, VertxTestContext ctx) {
    String[] otherPair = TokenKeys.generate();
    String forged = new StorageTokens.Signer(vertx, otherPair[0], otherPair[1]).token();
    String otherSubject = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm(SessionTokens.ALGORITHM).setId(TokenKeys.kid(storagePair[1])).setBuffer(storagePair[0])))
      .generateToken(new JsonObject(), new JWTOptions().setAlgorithm(SessionTokens.ALGORITHM)
        .setHeader(new JsonObject().put("kid", TokenKeys.kid(storagePair[1]))).setSubject("alice").setExpiresInSeconds(60));
    JsonObject grow = account().put(QuotaApi.DELTA, 1_000_000);
    used().compose(before -> {
      Future<JsonObject> own = quota.request(QuotaApi.ADJUST, alice, grow);
      Future<JsonObject> byAdmin = quota.request(QuotaApi.ADJUST, admin, grow);
      Future<JsonObject> none = quota.request(QuotaApi.ADJUST, null, grow);
      Future<JsonObject> otherKey = quota.request(QuotaApi.ADJUST, forged, grow);
      Future<JsonObject> notStorage = quota.request(QuotaApi.ADJUST, otherSubject, grow);
      return Future.join(own, byAdmin, none, otherKey, notStorage).transform(done -> used().map(after -> {
        ctx.verify(() -> {
          assertThat(Failure.of(own.cause())).as("the account's own token").isEqualTo(Failure.NO_PERMISSION);
          assertThat(Failure.of(byAdmin.cause())).as("an admin token").isEqualTo(Failure.NO_PERMISSION);
          assertThat(Failure.of(none.cause())).as("no token").isEqualTo(Failure.NO_PERMISSION);
          assertThat(Failure.of(otherKey.cause())).as("the storage subject signed by another key").isEqualTo(Failure.NO_PERMISSION);
          assertThat(Failure.of(notStorage.cause())).as("storage's key, another subject").isEqualTo(Failure.NO_PERMISSION);
          assertThat(after).as("usage unchanged").isEqualTo(before).isEqualTo(ON_DISK);
        });
        return after;
      }));
    }).compose(v -> adjust(1_000_000)).compose(v -> used())
      .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
        assertThat(after).as("storage's own token still adjusts").isEqualTo(ON_DISK + 1_000_000);
        ctx.completeNow();
      })));
  }
}
