package dev.ferry.server;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Hazelcast configuration the cluster settings make; joining for real is ClusterProcessesTest's part. */
class HazelcastClusterTest {

  @Test
  void aMemberListMeansTcpIpDiscoveryOnTheClusterAddressOnly() {
    Config config = HazelcastCluster.config(Setting.defaults().put("clusterHost", "10.1.2.3").put("clusterPort", 5801)
      .put("clusterMembers", "10.1.2.3:5801, 10.1.2.4:5801,ferry-auth"));
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.1.2.3:5801", "10.1.2.4:5801", "ferry-auth");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.1.2.3");
    // Interfaces alone pick the announced address; this keeps the other interfaces closed.
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
  }

  @Test
  void noMembersMeansAClusterOfThisMemberAloneThatOthersMayJoin() {
    Config config = HazelcastCluster.config(Setting.defaults());
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5701");
  }

  @Test
  void aKubernetesServiceMeansDnsLookupDiscoveryInsteadOfTheList() {
    JsonObject settings = Setting.defaults().put("clusterHost", "10.244.0.7")
      .put("clusterKubernetesService", "ferry-hazelcast.ferry.svc.cluster.local").put("clusterMembers", "ignored:1");
    JoinConfig join = HazelcastCluster.config(settings).getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns")).isEqualTo("ferry-hazelcast.ferry.svc.cluster.local");
    assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5701");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    join.verify(); // Hazelcast's own check that no two discoveries are on
  }

  @Test
  void aMemberThatIsNotHostOrHostPortIsRefusedBeforeHazelcastMisreadsIt() {
    assertThatThrownBy(() -> HazelcastCluster.members("127.0.0.1:5701-5720"))
      .hasMessageContaining("'127.0.0.1:5701-5720' is not host or host:port");
    assertThatThrownBy(() -> HazelcastCluster.members("127.0.0.1:0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HazelcastCluster.members("127.0.0.1:70000")).isInstanceOf(IllegalArgumentException.class);
    assertThat(HazelcastCluster.members(" , ")).isEmpty();
  }
}
