package dev.ferry.gateway;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayOptionsTest {

  @Test
  void defaultsApplyToMissingKeys() {
    GatewayOptions options = new GatewayOptions(new JsonObject().put("tls", false));
    assertThat(options.host()).isEqualTo(GatewayOptions.DEFAULT_HOST);
    assertThat(options.port()).isEqualTo(2121);
    assertThat(options.maxPayload()).isEqualTo(1 << 20);
    assertThat(options.loginTimeoutSeconds()).isEqualTo(30);
    assertThat(options.idleTimeoutSeconds()).isEqualTo(900);
    assertThat(options.frameStallSeconds()).isEqualTo(30);
    assertThat(options.maxLoginFailuresPerConnection()).isEqualTo(3);
    assertThat(options.tokenTtlSeconds()).isEqualTo(900);
    assertThat(options.window()).isEqualTo(8 << 20);
  }

  /** PROTOCOL.md s4: the window is a server setting; at least one chunk must fit in it. */
  @Test
  void theWindowHoldsAtLeastOneChunk() {
    JsonObject plain = new JsonObject().put("tls", false);
    assertThat(new GatewayOptions(plain.copy().put("window", "2097152")).window()).isEqualTo(2 << 20);
    assertThat(new GatewayOptions(plain.copy().put("maxPayload", 16 << 20)).window()).as("default grows with the payload")
      .isEqualTo(16 << 20);
    assertThatThrownBy(() -> new GatewayOptions(plain.copy().put("window", (1 << 20) - 1)))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
  }

  @Test
  void readsTheFlatConfigIncludingValuesGivenAsText() {
    GatewayOptions options = new GatewayOptions(new JsonObject()
      .put("host", "0.0.0.0").put("port", "0").put("tls", "true")
      .put("tlsCertPath", "/c.pem").put("tlsKeyPath", "/k.pem")
      .put("maxPayload", 16 << 20).put("loginTimeoutSeconds", 5).put("tokenPublicKeyPath", "ignored here"));
    assertThat(options.host()).isEqualTo("0.0.0.0");
    assertThat(options.port()).isZero();
    assertThat(options.tls()).isTrue();
    assertThat(options.tlsCertPath()).isEqualTo("/c.pem");
    assertThat(options.maxPayload()).isEqualTo(16 << 20);
    assertThat(options.loginTimeoutSeconds()).isEqualTo(5);
  }

  @Test
  void theTlsEngineIsOpensslUnlessJdkIsAsked() {
    JsonObject plain = new JsonObject().put("tls", false);
    assertThat(new GatewayOptions(plain).tlsEngine()).isEqualTo("openssl");
    assertThat(new GatewayOptions(plain.copy().put("tlsEngine", "jdk")).tlsEngine()).isEqualTo("jdk");
    assertThatThrownBy(() -> new GatewayOptions(plain.copy().put("tlsEngine", "gnutls")))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tlsEngine");
  }

  @Test
  void refusesValuesOutOfRange() {
    JsonObject plain = new JsonObject().put("tls", false);
    assertThatThrownBy(() -> new GatewayOptions(plain.copy().put("maxPayload", (16 << 20) + 1)))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPayload");
    assertThatThrownBy(() -> new GatewayOptions(plain.copy().put("port", 70000))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GatewayOptions(plain.copy().put("idleTimeoutSeconds", 0))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GatewayOptions(plain.copy().put("port", "twenty"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GatewayOptions(new JsonObject())).hasMessageContaining("tlsCertPath");
  }
}
