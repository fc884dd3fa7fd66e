package dev.ferry.quota;

import dev.ferry.protocol.net.LoopbackPorts;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.QuotaApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.ferry.quota.RealServices.MIB;
import static dev.ferry.quota.RealServices.reserve;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Vert.x instances clustered over Hazelcast on loopback, each with its own quota-service
 * (auth and storage on the first only: the bus is clustered), racing reserves of one account:
 * PROTOCOL.md s6, "Concurrent uploads of one user, on one gateway or many, can never together
 * pass the limit." Then the reservations, never renewed, expire from the cluster-wide maps. Each
 * run makes its own cluster, on ports the OS just gave out.
 */
@ExtendWith(VertxExtension.class)
class QuotaClusterTest {

  /** Far longer than the race takes, short enough to watch the reservations expire. */
  private static final int RESERVATION_SECONDS = 3;

  @TempDir
  Path data;
  private final List<Vertx> nodes = new ArrayList<>();
  private final List<HazelcastClusterManager> members = new ArrayList<>();

  @AfterEach
  void leave(VertxTestContext ctx) {
    Future.join(nodes.stream().map(Vertx::close).toList()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void twentyReservesOverTwoNodesGrantExactlyTheLimit(VertxTestContext ctx) throws IOException {
    RealServices.writeLimits(data, new JsonObject().put("alice", 5 * MIB));
    JsonObject config = RealServices.config(data, RESERVATION_SECONDS);
    cluster()
      .compose(formed -> RealServices.deployAuthAndStorage(nodes.get(0), config, "alice"))
      .compose(v -> RealServices.deploy(nodes.get(0), new QuotaVerticle(), config))
      .compose(v -> RealServices.deploy(nodes.get(1), new QuotaVerticle(), config))
      // Counted first, so that the twenty race through the same steps at the same time.
      .compose(v -> new BusClient(nodes.get(1), Addresses.QUOTA).request(QuotaApi.GET,
        RealServices.token(nodes.get(1), "alice", Role.USER), new JsonObject().put(QuotaApi.ACCOUNT, "alice")))
      .compose(counted -> {
        ctx.verify(() -> {
          assertThat(members).allSatisfy(m -> assertThat(m.getNodes()).hasSize(2));
          assertThat(counted.getLong(QuotaApi.USED)).isZero();
        });
        List<Future<JsonObject>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          Vertx node = nodes.get(i % 2);
          String alice = RealServices.token(node, "alice", Role.USER);
          replies.add(new BusClient(node, Addresses.QUOTA).request(QuotaApi.RESERVE, alice, reserve("alice", MIB)));
        }
        return Future.all(replies).map(all -> replies);
      })
      .compose(replies -> {
        ctx.verify(() -> {
          long granted = replies.stream().filter(r -> r.result().getBoolean(QuotaApi.GRANTED)).count();
          assertThat(granted).isEqualTo(5);
          assertThat(replies).filteredOn(r -> !r.result().getBoolean(QuotaApi.GRANTED))
            .allSatisfy(r -> assertThat(r.result().getLong(QuotaApi.USED)).isEqualTo(5 * MIB));
        });
        // Never renewed, as if their gateway had died: in Hazelcast's maps too they expire.
        return nodes.get(1).timer(TimeUnit.SECONDS.toMillis(RESERVATION_SECONDS) * 3 / 2);
      })
      .compose(v -> new BusClient(nodes.get(1), Addresses.QUOTA)
        .request(QuotaApi.RESERVE, RealServices.token(nodes.get(1), "alice", Role.USER), reserve("alice", 5 * MIB)))
      .onComplete(ctx.succeeding(again -> ctx.verify(() -> {
        assertThat(again.getBoolean(QuotaApi.GRANTED)).as("the room came back").isTrue();
        ctx.completeNow();
      })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void theAccountLockHasOneHolderAtATimeAcrossNodes(VertxTestContext ctx) throws IOException {
    cluster()
      .compose(formed -> AccountLockTest.mostHoldersAtOnce(nodes, "alice"))
      .onComplete(ctx.succeeding(most -> ctx.verify(() -> {
        assertThat(most).isEqualTo(1);
        ctx.completeNow();
      })));
  }

  /** Two members of a new cluster; the second joins the one the first has formed. */
  private Future<Void> cluster() throws IOException {
    int[] ports = {freePort(), freePort()};
    String cluster = "ferry-quota-test-" + UUID.randomUUID();
    return node(cluster, ports[0], ports).compose(first -> node(cluster, ports[1], ports)).mapEmpty();
  }

  /** A clustered Vert.x whose Hazelcast member listens on {@code port} of 127.0.0.1 only. */
  private Future<Vertx> node(String cluster, int port, int[] members) {
    Config config = ConfigUtil.loadConfig(); // Vert.x's own maps and multimaps
    config.setClusterName(cluster);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1);
    for (int member : members) {
      tcp.addMember("127.0.0.1:" + member);
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(config);
    VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0));
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered().onSuccess(vertx -> {
      nodes.add(vertx);
      this.members.add(manager);
    });
  }

  private static int freePort() throws IOException {
    return LoopbackPorts.reservable();
  }
}
