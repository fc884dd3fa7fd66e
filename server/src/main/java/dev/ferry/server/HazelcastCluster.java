package dev.ferry.server;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.List;

/**
 * A Vert.x instance joined to a Hazelcast cluster whose members are listed by address (TCP-IP
 * discovery: no multicast, no auto-detection), so that the event bus and shared data (quota
 * reservations and usage) span every member.
 *
 * <p>Starts from the configuration vertx-hazelcast ships (its maps for event-bus subscriptions
 * and HA), then binds Hazelcast to {@code host:port} only and joins {@code members}.
 */
public final class HazelcastCluster {

  private HazelcastCluster() {
  }

  /**
   * @param host    the interface Hazelcast and the event bus bind to, and announce
   * @param port    Hazelcast's member port (no auto-increment: a member is where it is told)
   * @param members {@code host:port} of the members to join, this one included or not
   */
  public static Config config(String host, int port, List<String> members) {
    Config config = ConfigUtil.loadConfig();
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false).setPublicAddress(host + ":" + port);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(host));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    return config;
  }

  /** A clustered Vert.x whose event bus listens on {@code host}, on a port the OS picks. */
  public static Future<Vertx> join(Config hazelcast, String host) {
    VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions().setHost(host).setPort(0));
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered();
  }
}
