package dev.ferry.quota;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.QuotaApi;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static dev.ferry.quota.RealServices.MIB;
import static dev.ferry.quota.RealServices.reserve;
import static org.assertj.core.api.Assertions.assertThat;

/** ferry_quota_rejections_total counts the reservations refused, and only those. */
@ExtendWith(VertxExtension.class)
class QuotaMetricsTest {

  @TempDir
  Path data;
  SimpleMeterRegistry registry;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws IOException {
    registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    RealServices.writeLimits(data, new JsonObject().put("alice", MIB));
    JsonObject config = RealServices.config(data, QuotaOptions.DEFAULT_RESERVATION_SECONDS);
    RealServices.deployAuthAndStorage(vertx, config, "alice")
      .compose(v -> RealServices.deploy(vertx, new QuotaVerticle(), config))
      .onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void removeRegistry() {
    Metrics.removeRegistry(registry);
    registry.close();
  }

  @Test
  void aRefusedReservationIsCountedAndAGrantedOneIsNot(Vertx vertx, VertxTestContext ctx) {
    BusClient quota = new BusClient(vertx, Addresses.QUOTA);
    String alice = RealServices.token(vertx, "alice", Role.USER);
    quota.request(QuotaApi.RESERVE, alice, reserve("alice", MIB))
      .compose(granted -> {
        ctx.verify(() -> assertThat(granted.getBoolean(QuotaApi.GRANTED)).isTrue());
        return quota.request(QuotaApi.RESERVE, alice, reserve("alice", 1));
      })
      .compose(refused -> {
        ctx.verify(() -> assertThat(refused.getBoolean(QuotaApi.GRANTED)).isFalse());
        return quota.request(QuotaApi.RESERVE, alice, reserve("alice", 2));
      })
      .onComplete(ctx.succeeding(refused -> ctx.verify(() -> {
        assertThat(refused.getBoolean(QuotaApi.GRANTED)).isFalse();
        assertThat(registry.get("ferry.quota.rejections").counter().count()).isEqualTo(2);
        ctx.completeNow();
      })));
  }
}
