package dev.ferry.protocol.bus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenKeysTest {

  @TempDir
  Path dir;

  @Test
  void aRotationsPublicKeysComeFromOneFileOrSeveral() throws Exception {
    String[] old = TokenKeys.generate();
    String[] next = TokenKeys.generate();
    Path both = Files.writeString(dir.resolve("both.pem"), old[1] + next[1]);
    Path first = Files.writeString(dir.resolve("old.pem"), old[1]);
    Path second = Files.writeString(dir.resolve("next.pem"), "comment line\n" + next[1]);
    assertThat(TokenKeys.readPublicKeys(both.toString())).containsExactly(old[1], next[1]);
    assertThat(TokenKeys.readPublicKeys(first + ", " + second)).containsExactly(old[1], next[1]);
  }

  @Test
  void theKidIsAStableThumbprintOfThePublicKey() {
    String[] pair = TokenKeys.generate();
    String reformatted = pair[1].replace("\n", "\r\n");
    assertThat(TokenKeys.kid(pair[1])).hasSize(16).isEqualTo(TokenKeys.kid(reformatted))
      .isNotEqualTo(TokenKeys.kid(TokenKeys.generate()[1]));
  }

  @Test
  void aFileWithoutAPublicKeyIsRefused() throws Exception {
    String[] pair = TokenKeys.generate();
    Path privateOnly = Files.writeString(dir.resolve("private.pem"), pair[0]);
    assertThatThrownBy(() -> TokenKeys.readPublicKeys(privateOnly.toString())).hasMessageContaining("holds no PEM public key");
    assertThat(TokenKeys.isEcPublicKey(pair[1])).isTrue();
    assertThat(TokenKeys.isEcPublicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")).isFalse();
  }
}
