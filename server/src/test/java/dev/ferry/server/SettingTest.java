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
  }

  @Test
  void defaultsWorkOnALaptop() {
    JsonObject defaults = Setting.defaults();
    assertThat(defaults.getString("host")).isEqualTo("127.0.0.1");
    assertThat(defaults.getInteger("port")).isEqualTo(2121);
    assertThat(defaults.getString("data")).isEqualTo("./data");
    assertThat(defaults.getBoolean("tls")).isTrue();
    assertThat(defaults.containsKey("adminPassword")).isFalse();
  }

  @Test
  void environmentValuesAreTypedAndWin() {
    JsonObject merged = Setting.defaults().put("FERRY_PORT", "0").put("FERRY_TLS", "false").put("FERRY_DEFAULT_QUOTA", "5000000000");
    JsonObject config = Setting.applyEnvironment(merged);
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
