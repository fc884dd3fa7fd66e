package dev.ferry.quota;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.QuotaApi;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.ferry.quota.RealServices.MIB;
import static dev.ferry.quota.RealServices.reservation;
import static dev.ferry.quota.RealServices.reserve;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RESERVE, RENEW and RELEASE against the real auth and storage services: PROTOCOL.md s6, "if
 * usage plus all reservations would pass the limit it answers NOT_READY*QUOTA_EXCEEDED ...
 * Concurrent uploads of one user ... can never together pass the limit."
 */
@ExtendWith(VertxExtension.class)
class QuotaReservationTest {

  @TempDir
  Path data;
  BusClient quota;
  String admin;
  String alice;
  String bob;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws IOException {
    RealServices.writeLimits(data, new JsonObject().put("alice", 5 * MIB).put("bob", QuotaLimits.UNLIMITED));
    admin = RealServices.token(vertx, RealServices.ADMIN, Role.ADMIN);
    alice = RealServices.token(vertx, "alice", Role.USER);
    bob = RealServices.token(vertx, "bob", Role.USER);
    quota = new BusClient(vertx, Addresses.QUOTA);
    JsonObject config = RealServices.config(data, QuotaOptions.DEFAULT_RESERVATION_SECONDS);
    RealServices.deployAuthAndStorage(vertx, config, "alice", "bob")
      .compose(v -> RealServices.deploy(vertx, new QuotaVerticle(), config))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void twentyConcurrentReservesOfOneMiBWithinFiveMiBGrantExactlyFive(VertxTestContext ctx) {
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      replies.add(quota.request(QuotaApi.RESERVE, alice, reserve("alice", MIB)));
    }
    Future.all(replies).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      List<JsonObject> granted = replies.stream().map(Future::result).filter(r -> r.getBoolean(QuotaApi.GRANTED)).toList();
      List<JsonObject> refused = replies.stream().map(Future::result).filter(r -> !r.getBoolean(QuotaApi.GRANTED)).toList();
      assertThat(granted).hasSize(5);
      assertThat(granted).extracting(r -> r.getString(QuotaApi.RESERVATION)).doesNotHaveDuplicates().doesNotContainNull();
      assertThat(granted).allSatisfy(r -> assertThat(r.getInteger(QuotaApi.SECONDS)).isEqualTo(QuotaOptions.DEFAULT_RESERVATION_SECONDS));
      assertThat(refused).hasSize(15).allSatisfy(r -> {
        assertThat(r.getLong(QuotaApi.USED)).as("used counts the live reservations").isEqualTo(5 * MIB);
        assertThat(r.getLong(QuotaApi.LIMIT)).isEqualTo(5 * MIB);
        assertThat(r.containsKey(QuotaApi.RESERVATION)).isFalse();
      });
      ctx.completeNow();
    })));
  }

  @Test
  void releaseFreesRoomAndReleasingTwiceIsNoError(VertxTestContext ctx) {
    quota.request(QuotaApi.RESERVE, alice, reserve("alice", 5 * MIB))
      .compose(all -> quota.request(QuotaApi.RESERVE, alice, reserve("alice", 1)).map(full -> {
        ctx.verify(() -> assertThat(full.getBoolean(QuotaApi.GRANTED)).isFalse());
        return all.getString(QuotaApi.RESERVATION);
      }))
      .compose(id -> quota.request(QuotaApi.RELEASE, alice, reservation("alice", id))
        .compose(v -> quota.request(QuotaApi.RELEASE, alice, reservation("alice", id))))
      .compose(v -> quota.request(QuotaApi.RESERVE, alice, reserve("alice", 5 * MIB)))
      .onComplete(ctx.succeeding(again -> ctx.verify(() -> {
        assertThat(again.getBoolean(QuotaApi.GRANTED)).isTrue();
        assertThat(again.getLong(QuotaApi.USED)).isEqualTo(5 * MIB);
        ctx.completeNow();
      })));
  }

  @Test
  void theFilesOnDiskAreCountedBeforeTheFirstReserve(VertxTestContext ctx) throws IOException {
    RealServices.writeFile(RealServices.home(data, "alice").resolve("old.bin"), 3 * MIB);
    quota.request(QuotaApi.RESERVE, alice, reserve("alice", 3 * MIB))
      .compose(tooMuch -> quota.request(QuotaApi.RESERVE, alice, reserve("alice", 2 * MIB))
        .map(fits -> List.of(tooMuch, fits)))
      .onComplete(ctx.succeeding(replies -> ctx.verify(() -> {
        assertThat(replies.get(0).getBoolean(QuotaApi.GRANTED)).isFalse();
        assertThat(replies.get(0).getLong(QuotaApi.USED)).isEqualTo(3 * MIB);
        assertThat(replies.get(1).getBoolean(QuotaApi.GRANTED)).isTrue();
        assertThat(replies.get(1).getLong(QuotaApi.USED)).isEqualTo(5 * MIB);
        ctx.completeNow();
      })));
  }

  @Test
  void anUnlimitedAccountIsAlwaysGrantedAndItsReservationsStillRenewAndRelease(VertxTestContext ctx) {
    long huge = Long.MAX_VALUE / 2;
    Future<JsonObject> user = quota.request(QuotaApi.RESERVE, bob, reserve("bob", huge));
    Future<JsonObject> again = user.compose(v -> quota.request(QuotaApi.RESERVE, bob, reserve("bob", huge)));
    Future<JsonObject> third = again.compose(v -> quota.request(QuotaApi.RESERVE, bob, reserve("bob", huge)));
    Future<JsonObject> theAdmin = third.compose(v -> quota.request(QuotaApi.RESERVE, admin, reserve(RealServices.ADMIN, huge)));
    theAdmin
      .compose(v -> quota.request(QuotaApi.RENEW, bob, reservation("bob", user.result().getString(QuotaApi.RESERVATION))))
      .compose(v -> quota.request(QuotaApi.RELEASE, bob, reservation("bob", user.result().getString(QuotaApi.RESERVATION))))
      .compose(v -> quota.request(QuotaApi.RENEW, bob, reservation("bob", user.result().getString(QuotaApi.RESERVATION))))
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(Failure.of(e)).as("renew after release").isEqualTo(Failure.NOT_FOUND);
        for (Future<JsonObject> reply : List.of(user, again, third, theAdmin)) {
          assertThat(reply.result().getBoolean(QuotaApi.GRANTED)).isTrue();
          assertThat(reply.result().getLong(QuotaApi.LIMIT)).isEqualTo(QuotaLimits.UNLIMITED);
          assertThat(reply.result().getString(QuotaApi.RESERVATION)).isNotBlank();
        }
        assertThat(again.result().getLong(QuotaApi.USED)).isEqualTo(huge * 2);
        assertThat(third.result().getLong(QuotaApi.USED)).as("saturates instead of wrapping").isEqualTo(Long.MAX_VALUE);
        ctx.completeNow();
      })));
  }

  @Test
  void renewingAnUnknownReservationIsNotFound(VertxTestContext ctx) {
    expect(quota.request(QuotaApi.RENEW, alice, reservation("alice", "no-such-reservation")), Failure.NOT_FOUND, ctx);
  }

  @Test
  void theAdminMayReserveForAUserWithinTheUsersLimit(VertxTestContext ctx) {
    quota.request(QuotaApi.RESERVE, admin, reserve("alice", 5 * MIB + 1))
      .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
        assertThat(reply.getBoolean(QuotaApi.GRANTED)).isFalse();
        assertThat(reply.getLong(QuotaApi.USED)).isZero();
        assertThat(reply.getLong(QuotaApi.LIMIT)).isEqualTo(5 * MIB);
        ctx.completeNow();
      })));
  }

  @Test
  void aUserMayNotTouchAnotherAccount(VertxTestContext ctx) {
    List<Future<JsonObject>> attempts = List.of(
      quota.request(QuotaApi.RESERVE, alice, reserve("bob", 1)),
      quota.request(QuotaApi.RENEW, alice, reservation("bob", "x")),
      quota.request(QuotaApi.RELEASE, alice, reservation("bob", "x")),
      quota.request(QuotaApi.RECOUNT, alice, new JsonObject().put(QuotaApi.ACCOUNT, "bob")),
      quota.request(QuotaApi.RECOUNT, alice, new JsonObject().put(QuotaApi.ACCOUNT, "alice")));
    Future.join(attempts).onComplete(done -> ctx.verify(() -> {
      assertThat(attempts).allSatisfy(a -> assertThat(Failure.of(a.cause())).isEqualTo(Failure.NO_PERMISSION));
      ctx.completeNow();
    }));
  }

  @Test
  void badRequestsAndUnknownAccountsAreRefused(VertxTestContext ctx) {
    Future<JsonObject> negative = quota.request(QuotaApi.RESERVE, alice, reserve("alice", -1));
    Future<JsonObject> noBytes = quota.request(QuotaApi.RESERVE, alice, new JsonObject().put(QuotaApi.ACCOUNT, "alice"));
    Future<JsonObject> noId = quota.request(QuotaApi.RELEASE, alice, new JsonObject().put(QuotaApi.ACCOUNT, "alice"));
    Future<JsonObject> nobody = quota.request(QuotaApi.RESERVE, admin, reserve("nobody", 1));
    Future.join(negative, noBytes, noId, nobody).onComplete(done -> ctx.verify(() -> {
      assertThat(Failure.of(negative.cause())).isEqualTo(Failure.BAD_REQUEST);
      assertThat(Failure.of(noBytes.cause())).isEqualTo(Failure.BAD_REQUEST);
      assertThat(Failure.of(noId.cause())).isEqualTo(Failure.BAD_REQUEST);
      assertThat(Failure.of(nobody.cause())).isEqualTo(Failure.NO_SUCH_ACCOUNT);
      ctx.completeNow();
    }));
  }

  static void expect(Future<?> request, Failure expected, VertxTestContext ctx) {
    request.onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(Failure.of(e)).isEqualTo(expected);
      ctx.completeNow();
    })));
  }
}
