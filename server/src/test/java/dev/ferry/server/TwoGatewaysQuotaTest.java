package dev.ferry.server;

import dev.ferry.gateway.GatewayVerticle;
import dev.ferry.quota.QuotaVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.ferry.server.WireTransfers.CHUNK;
import static dev.ferry.server.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4: "Two gateways (two Vert.x instances clustered on loopback in the test) racing uploads
 * of the same user: the limit holds." Two Vert.x instances join one Hazelcast cluster on
 * 127.0.0.1. The first runs a whole server; the second a gateway and a second quota-service, so
 * that quota requests are spread over two instances that share only the cluster's data.
 */
class TwoGatewaysQuotaTest {

  @TempDir
  Path data;

  @Test
  void racingUploadsThroughTwoGatewaysNeverPassTheLimit() throws Exception {
    try (LoopbackCluster cluster = new LoopbackCluster(2)) {
      Vertx first = cluster.join(0);
      Vertx second = cluster.join(1);
      ServerFixture server = ServerFixture.start(first, data, new JsonObject());
      server.addUser("twin", "twin-pass-1", 5L * CHUNK);
      JsonObject config = server.server.config();
      GatewayVerticle gatewayB = new GatewayVerticle();
      await(second.deployVerticle(new QuotaVerticle(), new DeploymentOptions().setConfig(config)));
      await(second.deployVerticle(gatewayB, new DeploymentOptions().setConfig(config)));
      int gatewayA = server.port();

      List<String> answers = QuotaEnforcementTest.QuotaRace.race(20, i -> i % 2 == 0 ? gatewayA : gatewayB.actualPort(),
        "twin", "twin-pass-1", CHUNK);

      assertThat(answers).filteredOn(a -> a.startsWith("SUCCESS*")).hasSize(5);
      assertThat(answers).filteredOn(a -> a.startsWith("NOT_READY*QUOTA_EXCEEDED*")).hasSize(15);
      try (WireClient admin = WireClient.login(gatewayB.actualPort(), "admin", ServerFixture.ADMIN_PASSWORD, "admin")) {
        assertThat(admin.call("quota", "twin")).isEqualTo(5L * CHUNK + "*" + 5L * CHUNK);
        assertThat(admin.call("recount", "twin")).isEqualTo(5L * CHUNK + "*" + 5L * CHUNK);
      }
      server.close();
    }
  }

}
