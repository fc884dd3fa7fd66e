package dev.ferry.server;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.kubernetes.KubernetesProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Vert.x instance joined to a Hazelcast cluster, so that the event bus and shared data (quota
 * reservations and usage) span every member. Discovery is by configuration only, never
 * multicast or auto-detection: a TCP-IP member list ({@code clusterMembers}; loopback for
 * development and tests), or Kubernetes DNS lookup of a headless service
 * ({@code clusterKubernetesService}).
 *
 * <p>Starts from the configuration vertx-hazelcast ships (its maps for event-bus subscriptions
 * and HA), then binds Hazelcast to {@code clusterHost:clusterPort} only; {@link #join} names the
 * cluster after the members' shared secret, so Hazelcast admits no process without it.
 */
public final class HazelcastCluster {

  /**
   * A member that stopped answering heartbeats is dropped after this long (Hazelcast's default
   * is 60 s). A killed process on the same host is seen at once (its port refuses connections);
   * a vanished pod only by the missing heartbeats, and until then the event bus still routes
   * some requests to its storage node.
   */
  static final int MAX_NO_HEARTBEAT_SECONDS = 30;
  /**
   * How long a connection to another member's event bus may take (Vert.x's default is 60 s):
   * members share a network, and a send to a member that is gone waits this long to fail.
   */
  static final int EVENT_BUS_CONNECT_TIMEOUT_MS = 5_000;

  private static final Pattern MEMBER = Pattern.compile("[^\\s:,]+(:[0-9]{1,5})?");

  private HazelcastCluster() {
  }

  /**
   * The Hazelcast configuration the settings ({@link Setting} keys, defaults merged) ask for:
   * Kubernetes discovery when {@code clusterKubernetesService} is set, else the TCP-IP list
   * {@code clusterMembers} (empty: this member alone, which others may join).
   *
   * @throws IllegalArgumentException for a member that is not {@code host} or {@code host:port}
   */
  public static Config config(JsonObject settings) {
    String host = settings.getString(Setting.CLUSTER_HOST.key());
    int port = settings.getInteger(Setting.CLUSTER_PORT.key());
    String kubernetesService = settings.getString(Setting.CLUSTER_KUBERNETES_SERVICE.key(), "").trim();
    if (!kubernetesService.isEmpty()) {
      return kubernetes(host, port, kubernetesService);
    }
    List<String> members = members(settings.getString(Setting.CLUSTER_MEMBERS.key(), ""));
    return config(host, port, members.isEmpty() ? List.of(host + ":" + port) : members);
  }

  /**
   * TCP-IP discovery.
   *
   * @param host    the interface Hazelcast and the event bus bind to, and announce
   * @param port    Hazelcast's member port (no auto-increment: a member is where it is told)
   * @param members {@code host:port} of the members to join, this one included or not
   */
  public static Config config(String host, int port, List<String> members) {
    Config config = base(host, port);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).setMembers(members);
    return config;
  }

  /**
   * Kubernetes discovery in DNS-lookup mode: the members are the addresses {@code service} (a
   * headless service, e.g. {@code ferry-hazelcast.ferry.svc.cluster.local}) resolves to, each at
   * {@code port}. Needs no access to the Kubernetes API.
   */
  static Config kubernetes(String host, int port, String service) {
    Config config = base(host, port);
    config.getNetworkConfig().getJoin().getKubernetesConfig().setEnabled(true)
      .setProperty(KubernetesProperties.SERVICE_DNS.key(), service)
      .setProperty(KubernetesProperties.SERVICE_PORT.key(), Integer.toString(port));
    return config;
  }

  private static Config base(String host, int port) {
    Config config = ConfigUtil.loadConfig();
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    // Vert.x leaves the cluster when the process stops (Main's shutdown hook closes it); a
    // Hazelcast hook of its own would pull the cluster away from the services still stopping.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(MAX_NO_HEARTBEAT_SECONDS));
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false).setPublicAddress(host + ":" + port);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(host));
    // Interfaces alone choose the address to announce; Hazelcast still listens on every
    // interface unless told not to.
    config.setProperty("hazelcast.socket.bind.any", "false");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    return config;
  }

  /**
   * {@code "10.0.0.1:5701, 10.0.0.2:5701"} as a list. Port ranges ({@code host:5701-5720}) are
   * refused here: Hazelcast would fail on them later with a misleading error.
   */
  static List<String> members(String list) {
    List<String> members = new ArrayList<>();
    for (String entry : list.split(",")) {
      String member = entry.trim();
      if (member.isEmpty()) {
        continue;
      }
      if (!MEMBER.matcher(member).matches() || (member.contains(":") && !validPort(member.substring(member.indexOf(':') + 1)))) {
        throw new IllegalArgumentException("clusterMembers: '" + member + "' is not host or host:port");
      }
      members.add(member);
    }
    return members;
  }

  private static boolean validPort(String port) {
    int value = Integer.parseInt(port);
    return value > 0 && value < 65536;
  }

  /** A clustered Vert.x whose event bus listens on {@code host}, on a port the OS picks. */
  public static Future<Vertx> join(Config hazelcast, ClusterCredentials credentials, String host) {
    return join(hazelcast, credentials, Vertx.builder().with(clustered(new VertxOptions(), credentials, host, 0)));
  }

  /**
   * Builds {@code builder}'s Vert.x (options from {@link #clustered}, metrics or whatever else
   * the caller adds) as a member of the cluster {@code hazelcast} describes, named after
   * {@code credentials}' secret (so Hazelcast admits only members that hold it), the event bus
   * seeing only the members {@code credentials}' CA attests. Counts the members it sees.
   */
  public static Future<Vertx> join(Config hazelcast, ClusterCredentials credentials, VertxBuilder builder) {
    hazelcast.setClusterName(credentials.clusterName());
    AttestedClusterManager manager = new AttestedClusterManager(new HazelcastClusterManager(hazelcast), credentials);
    return builder.withClusterManager(manager).buildClustered()
      .onSuccess(vertx -> Gauge.builder("ferry.cluster.members", manager, m -> m.isActive() ? m.getNodes().size() : 0)
        .description("Members of the Hazelcast cluster this process sees, itself included")
        .register(Metrics.globalRegistry));
  }

  /**
   * {@code options} (copied) with the event bus listening on and announcing
   * {@code host:eventBusPort} (0 = a port the OS picks), over TLS with {@code credentials}.
   */
  public static VertxOptions clustered(VertxOptions options, ClusterCredentials credentials, String host, int eventBusPort) {
    EventBusOptions eventBus = new EventBusOptions(options.getEventBusOptions())
      .setHost(host).setPort(eventBusPort).setConnectTimeout(EVENT_BUS_CONNECT_TIMEOUT_MS);
    return new VertxOptions(options).setEventBusOptions(credentials.secure(eventBus));
  }
}
