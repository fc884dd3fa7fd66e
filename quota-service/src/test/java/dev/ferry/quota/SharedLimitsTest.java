package dev.ferry.quota;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.QuotaApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.ferry.quota.RealServices.MIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several quota-service instances on one data volume (the clustered deployment): a limit set
 * through one is the limit every one of them answers, and changes made through different
 * instances never undo each other.
 */
@ExtendWith(VertxExtension.class)
class SharedLimitsTest {

  @TempDir
  Path data;

  @Test
  void aLimitSetThroughOneInstanceIsAnsweredByAll(Vertx vertx, VertxTestContext ctx) throws IOException {
    RealServices.writeLimits(data, new JsonObject().put("alice", 5 * MIB));
    String admin = RealServices.token(vertx, RealServices.ADMIN, Role.ADMIN);
    BusClient quota = new BusClient(vertx, Addresses.QUOTA);
    JsonObject config = RealServices.config(data, QuotaOptions.DEFAULT_RESERVATION_SECONDS);
    RealServices.deployAuthAndStorage(vertx, config, "alice", "bob")
      .compose(v -> RealServices.deploy(vertx, new QuotaVerticle(), config))
      .compose(v -> RealServices.deploy(vertx, new QuotaVerticle(), config))
      // Requests alternate between the two instances: each SET lands on a different one.
      .compose(v -> quota.request(QuotaApi.SET, admin, new JsonObject().put(QuotaApi.ACCOUNT, "alice").put(QuotaApi.LIMIT, 7 * MIB)))
      .compose(v -> quota.request(QuotaApi.SET, admin, new JsonObject().put(QuotaApi.ACCOUNT, "bob").put(QuotaApi.LIMIT, 9 * MIB)))
      .compose(v -> limitsOnceSettled(vertx, quota, admin, 50))
      .onComplete(ctx.succeeding(limits -> ctx.verify(() -> {
        assertThat(limits).containsExactly(7 * MIB, 9 * MIB, 7 * MIB, 9 * MIB);
        ctx.completeNow();
      })));
  }

  /**
   * The limits of alice, bob, alice, bob, asked in turn (so each instance answers for both);
   * asked again a little later while they differ, as the other instance reloads the file on its
   * own time (milliseconds), up to {@code tries} times.
   */
  private static Future<List<Long>> limitsOnceSettled(Vertx vertx, BusClient quota, String admin, int tries) {
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      answers.add(quota.request(QuotaApi.GET, admin, new JsonObject().put(QuotaApi.ACCOUNT, i % 2 == 0 ? "alice" : "bob")));
    }
    return Future.all(answers).compose(all -> {
      List<Long> limits = answers.stream().map(a -> a.result().getLong(QuotaApi.LIMIT)).toList();
      if (limits.equals(List.of(7 * MIB, 9 * MIB, 7 * MIB, 9 * MIB)) || tries <= 1) {
        return Future.succeededFuture(limits);
      }
      return vertx.timer(20).compose(t -> limitsOnceSettled(vertx, quota, admin, tries - 1));
    });
  }
}
