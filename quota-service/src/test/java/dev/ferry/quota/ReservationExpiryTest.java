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
import java.util.concurrent.TimeUnit;

import static dev.ferry.quota.RealServices.MIB;
import static dev.ferry.quota.RealServices.reservation;
import static dev.ferry.quota.RealServices.reserve;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reservation lives {@code reservationSeconds} unless renewed (QuotaApi RESERVE), so the
 * reservation of a gateway that died frees its room on its own. Waits with Vert.x timers, with
 * half a lifetime of margin either side.
 */
@ExtendWith(VertxExtension.class)
class ReservationExpiryTest {

  private static final int SECONDS = 2;
  private static final long LIFETIME_MS = TimeUnit.SECONDS.toMillis(SECONDS);

  @TempDir
  Path data;
  BusClient quota;
  String alice;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws IOException {
    RealServices.writeLimits(data, new JsonObject().put("alice", 5 * MIB));
    alice = RealServices.token(vertx, "alice", Role.USER);
    quota = new BusClient(vertx, Addresses.QUOTA);
    JsonObject config = RealServices.config(data, SECONDS);
    RealServices.deployAuthAndStorage(vertx, config, "alice")
      .compose(v -> RealServices.deploy(vertx, new QuotaVerticle(), config))
      .onComplete(ctx.succeedingThenComplete());
  }

  /** Whether one more byte would be granted: a refusal records nothing, so it is a pure look. */
  private Future<Boolean> full() {
    return quota.request(QuotaApi.RESERVE, alice, reserve("alice", 1)).map(reply -> !reply.getBoolean(QuotaApi.GRANTED));
  }

  private static Future<Void> after(Vertx vertx, long ms) {
    return vertx.timer(ms).mapEmpty();
  }

  @Test
  void aReservationNotRenewedExpires(Vertx vertx, VertxTestContext ctx) {
    quota.request(QuotaApi.RESERVE, alice, reserve("alice", 5 * MIB))
      .compose(first -> full().compose(fullAtFirst -> after(vertx, LIFETIME_MS + LIFETIME_MS / 2)
        .compose(v -> quota.request(QuotaApi.RENEW, alice, reservation("alice", first.getString(QuotaApi.RESERVATION)))
          .transform(renew -> Future.succeededFuture(renew)))
        .compose(renew -> quota.request(QuotaApi.RESERVE, alice, reserve("alice", 5 * MIB)).map(again -> {
          ctx.verify(() -> {
            assertThat(first.getInteger(QuotaApi.SECONDS)).isEqualTo(SECONDS);
            assertThat(fullAtFirst).as("the reservation took all the room").isTrue();
            assertThat(renew.failed()).as("renewing an expired reservation fails").isTrue();
            assertThat(Failure.of(renew.cause())).isEqualTo(Failure.NOT_FOUND);
            assertThat(again.getBoolean(QuotaApi.GRANTED)).as("the room came back").isTrue();
            assertThat(again.getLong(QuotaApi.USED)).isEqualTo(5 * MIB);
          });
          return again;
        }))))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRenewedReservationOutlivesItsFirstLifetime(Vertx vertx, VertxTestContext ctx) {
    quota.request(QuotaApi.RESERVE, alice, reserve("alice", 5 * MIB))
      .map(granted -> granted.getString(QuotaApi.RESERVATION))
      .compose(id -> after(vertx, LIFETIME_MS / 2)
        .compose(v -> quota.request(QuotaApi.RENEW, alice, reservation("alice", id)))
        // Now past the first lifetime, inside the renewed one.
        .compose(v -> after(vertx, LIFETIME_MS * 3 / 4))
        .compose(v -> full())
        .compose(stillFull -> after(vertx, LIFETIME_MS).compose(v -> full()).map(laterFull -> {
          ctx.verify(() -> {
            assertThat(stillFull).as("alive after its first lifetime, thanks to the renew").isTrue();
            assertThat(laterFull).as("gone a lifetime after the renew").isFalse();
          });
          return laterFull;
        })))
      .onComplete(ctx.succeedingThenComplete());
  }
}
