package dev.ferry.auth;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthOptionsTest {

  @Test
  void hashingAndRateLimitDefaults() {
    AuthOptions options = new AuthOptions(new JsonObject());
    assertThat(options.hashThreads()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    assertThat(options.hashQueue()).isEqualTo(32);
    assertThat(options.loginFailuresPerAddress()).isEqualTo(30);
  }

  @Test
  void valuesMayComeAsTextAndBadOnesAreRefusedByName() {
    AuthOptions options = new AuthOptions(new JsonObject()
      .put("hashThreads", "3").put("hashQueue", 0).put("loginFailuresPerAddress", "0"));
    assertThat(options.hashThreads()).isEqualTo(3);
    assertThat(options.hashQueue()).isZero();
    assertThat(options.loginFailuresPerAddress()).isZero();
    for (String key : new String[] {"hashThreads", "hashQueue", "loginFailuresPerAddress"}) {
      assertThatThrownBy(() -> new AuthOptions(new JsonObject().put(key, -1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
    }
  }

  @Test
  void theAdminPasswordComesFromTheSettingOrAFileNotBoth() {
    assertThat(new AuthOptions(new JsonObject().put("adminPasswordPath", "/run/secrets/admin")).adminPasswordPath())
      .hasToString("/run/secrets/admin");
    assertThat(new AuthOptions(new JsonObject()).adminPasswordPath()).isNull();
    assertThatThrownBy(() -> new AuthOptions(new JsonObject().put("adminPassword", "long-enough-1")
      .put("adminPasswordPath", "/run/secrets/admin")))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
  }
}
