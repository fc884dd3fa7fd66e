package dev.ferry.gateway.command;

import dev.ferry.protocol.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** PROTOCOL.md s7: the password of useradd is what lies between the account and the role. */
class UseraddFieldsTest {

  @Test
  void plainFields() {
    assertThat(UseraddCommand.parse("bob*pass-word-1*user*5000"))
      .isEqualTo(new UseraddCommand.NewAccount("bob", "pass-word-1", Role.USER, 5000));
  }

  @Test
  void passwordMayHoldStars() {
    assertThat(UseraddCommand.parse("star*pass*with*stars*admin*0"))
      .isEqualTo(new UseraddCommand.NewAccount("star", "pass*with*stars", Role.ADMIN, 0));
    assertThat(UseraddCommand.parse("x***user*1")).isEqualTo(new UseraddCommand.NewAccount("x", "*", Role.USER, 1));
  }

  @Test
  void emptyPasswordIsLeftToAuthToRefuse() {
    assertThat(UseraddCommand.parse("bob**user*1")).isEqualTo(new UseraddCommand.NewAccount("bob", "", Role.USER, 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "bob", "bob*pw", "bob*pw*user", "*pw*user*1", "bob*pw*user*", "bob*pw*User*1",
    "bob*pw*user*-1", "bob*pw*user*+1", "bob*pw*user* 1", "bob*pw*user*99999999999999999999", "bob*user*1"})
  void malformed(String data) {
    assertThat(UseraddCommand.parse(data)).isNull();
  }
}
