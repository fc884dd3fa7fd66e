package dev.ferry.gateway.command;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** PROTOCOL.md s5: {@code <dir>*<name>*<size>*<sha256 hex>[*overwrite]}, and the seed's {@code <dir>*<name>*<size>}. */
class UploadFieldsTest {

  private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @Test
  void fullForm() {
    assertThat(UploadFields.parse("/home/alice*a.bin*1024*" + SHA))
      .contains(new UploadFields("/home/alice", "a.bin", 1024, SHA, false, false));
    assertThat(UploadFields.parse("docs*a.bin*0*" + SHA.toUpperCase() + "*overwrite"))
      .as("hex in either case, kept in lowercase").contains(new UploadFields("docs", "a.bin", 0, SHA, true, false));
  }

  @Test
  void seedFormAndAbsentChecksum() {
    assertThat(UploadFields.parse("*a.bin*5")).as("empty dir: the working directory").contains(new UploadFields("", "a.bin", 5, "", false, false));
    assertThat(UploadFields.parse("d*a.bin*5**overwrite")).contains(new UploadFields("d", "a.bin", 5, "", true, false));
    assertThat(UploadFields.parse("d*a.bin*5*overwrite")).contains(new UploadFields("d", "a.bin", 5, "", true, false));
  }

  @Test
  void checksumLater() {
    assertThat(UploadFields.parse("d*a.bin*5*LATER")).contains(new UploadFields("d", "a.bin", 5, "", false, true));
    assertThat(UploadFields.parse("d*a.bin*5*LATER*overwrite")).contains(new UploadFields("d", "a.bin", 5, "", true, true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "d", "d*a.bin", "d**5", "d*a.bin*", "d*a.bin*-1", "d*a.bin*1.5", "d*a.bin*0x10",
    "d*a.bin*99999999999999999999", "d*a.bin*5*abc", "d*a.bin*5*" + SHA + "0", "d*a.bin*5*" + SHA + "*replace",
    "d*a.bin*5*" + SHA + "*overwrite*x", "d*a.bin*5*overwrite*overwrite",
    "d*a.bin*5*later", "d*a.bin*5*LATER*x"})
  void malformed(String data) {
    assertThat(UploadFields.parse(data)).isEqualTo(Optional.empty());
  }
}
