package dev.ferry.protocol;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderTest {

  @Test
  void aReplyNeverCarriesAPassword() {
    Header reply = Header.reply("alice", "login", "1*/home/alice*[]");
    assertThat(reply.password()).isEmpty();
    assertThat(reply.toJson()).isEqualTo(new JsonObject()
      .put("account", "alice").put("password", "").put("cmd", "login").put("data", "1*/home/alice*[]"));
  }

  @Test
  void toStringLeavesThePasswordOut() {
    Header login = new Header("alice", "s3cret-pass", "login", "user");
    assertThat(login.toString()).contains("alice", "login", "user").doesNotContain("s3cret-pass");
  }

  @Test
  void nullFieldsReadAsEmpty() {
    assertThat(new Header(null, null, "pwd", null)).isEqualTo(new Header("", "", "pwd", ""));
  }
}
