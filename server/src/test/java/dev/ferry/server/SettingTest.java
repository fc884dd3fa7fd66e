package dev.ferry.server;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingTest {

  @Test
  void environmentNamesFollowTheKeys() {
    assertThat(Setting.PORT.env()).isEqualTo("FERRY_PORT");
    assertThat(Setting.ADMIN_PASSWORD.env()).isEqualTo("FERRY_ADMIN_PASSWORD");
    assertThat(Setting.LOGIN_TIMEOUT_SECONDS.env()).isEqualTo("FERRY_LOGIN_TIMEOUT_SECONDS");
    assertThat(Setting.PBKDF2_ITERATIONS.env()).isEqualTo("FERRY_PBKDF2_ITERATIONS");
    assertThat(Setting.CLUSTER_KUBERNETES_SERVICE.env()).isEqualTo("FERRY_CLUSTER_KUBERNETES_SERVICE");
    assertThat(Setting.EVENT_BUS_PORT.env()).isEqualTo("FERRY_EVENT_BUS_PORT");
    assertThat(Setting.HTTP_PORT.env()).isEqualTo("FERRY_HTTP_PORT");
  }

  @Test
  void defaultsWorkOnALaptop() {
    JsonObject defaults = Setting.defaults();
    assertThat(defaults.getString("host")).isEqualTo("127.0.0.1");
    assertThat(defaults.getInteger("port")).isEqualTo(2121);
    assertThat(defaults.getString("data")).isEqualTo("./data");
    assertThat(defaults.getBoolean("tls")).isTrue();
    assertThat(defaults.containsKey("adminPassword")).isFalse();
    assertThat(defaults.getBoolean("cluster")).isFalse();
    assertThat(defaults.getString("services")).isEqualTo("gateway,sftp,auth,quota,storage");
    assertThat(defaults.getString("clusterHost")).isEqualTo("127.0.0.1");
    assertThat(defaults.getInteger("clusterPort")).isEqualTo(5701);
    assertThat(defaults.getString("clusterMembers")).isEmpty();
    assertThat(defaults.getString("clusterKubernetesService")).isEmpty();
    assertThat(defaults.getInteger("eventBusPort")).isEqualTo(5702);
    assertThat(defaults.getString("httpHost")).isEqualTo("127.0.0.1");
    assertThat(defaults.getInteger("httpPort")).isEqualTo(8080);
  }

  @Test
  void environmentValuesAreTypedAndWin() {
    JsonObject merged = Setting.defaults().put("FERRY_PORT", "0").put("FERRY_TLS", "false").put("FERRY_DEFAULT_QUOTA", "5000000000")
      .put("FERRY_CLUSTER", "true").put("FERRY_HTTP_PORT", "-1").put("FERRY_CLUSTER_MEMBERS", "10.0.0.1:5701,10.0.0.2:5701");
    JsonObject config = Setting.applyEnvironment(merged);
    assertThat(config.getBoolean("cluster")).isTrue();
    assertThat(config.getInteger("httpPort")).isEqualTo(-1);
    assertThat(config.getString("clusterMembers")).isEqualTo("10.0.0.1:5701,10.0.0.2:5701");
    assertThat(config.getInteger("port")).isZero();
    assertThat(config.getBoolean("tls")).isFalse();
    assertThat(config.getLong("defaultQuota")).isEqualTo(5_000_000_000L);
    assertThat(config.fieldNames()).noneMatch(n -> n.startsWith("FERRY_"));
  }

  @Test
  void theReadmeDocumentsEverySetting() throws Exception {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
    for (Setting s : Setting.values()) {
      assertThat(readme).as(s.key()).contains("| `" + s.key() + "` | `" + s.env() + "` |");
    }
  }

  @Test
  void aMistypedEnvironmentValueIsAClearError() {
    assertThatThrownBy(() -> Setting.applyEnvironment(new JsonObject().put("FERRY_PORT", "twenty")))
      .hasMessageContaining("FERRY_PORT=twenty");
    assertThatThrownBy(() -> Setting.applyEnvironment(new JsonObject().put("FERRY_TLS", "yes")))
      .hasMessageContaining("FERRY_TLS=yes");
  }
}
