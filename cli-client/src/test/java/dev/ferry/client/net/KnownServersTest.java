package dev.ferry.client.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KnownServersTest {

  private static final String FP_A = "SHA256:" + "ab".repeat(32);
  private static final String FP_B = "SHA256:" + "cd".repeat(32);

  @TempDir
  Path dir;

  @Test
  void newServerIsUnknownUntilRemembered() throws Exception {
    KnownServers known = new KnownServers(dir.resolve("known_servers"));
    assertThat(known.fingerprintOf("host:2121")).isEmpty();

    known.remember("host:2121", FP_A);

    assertThat(known.fingerprintOf("host:2121")).contains(FP_A);
    assertThat(known.fingerprintOf("host:2122")).isEmpty();
    assertThat(Files.readString(known.file())).isEqualTo("host:2121 " + FP_A + "\n");
  }

  @Test
  void sameFingerprintMatchesWhateverItsSpelling() {
    assertThat(KnownServers.same(FP_A, FP_A)).isTrue();
    assertThat(KnownServers.same(FP_A, "sha256:" + "AB".repeat(32))).isTrue();
    assertThat(KnownServers.same(FP_A, "SHA256:" + String.join(":", "AB,".repeat(32).split(",")))).isTrue();
    assertThat(KnownServers.same(FP_A, FP_B)).isFalse();
  }

  @Test
  void changedFingerprintReplacesOnlyItsOwnLine() throws Exception {
    Path file = dir.resolve("known_servers");
    Files.writeString(file, "# my servers\nother:2121 " + FP_B + "\nhost:2121 " + FP_A + "\n\n", StandardCharsets.UTF_8);
    KnownServers known = new KnownServers(file);
    assertThat(known.fingerprintOf("host:2121")).contains(FP_A);

    known.remember("host:2121", FP_B);

    assertThat(known.fingerprintOf("host:2121")).contains(FP_B);
    assertThat(known.fingerprintOf("other:2121")).contains(FP_B);
    assertThat(Files.readAllLines(file)).containsExactly("# my servers", "other:2121 " + FP_B, "", "host:2121 " + FP_B);
  }

  @Test
  void malformedLinesAreIgnoredAndKept() throws Exception {
    Path file = dir.resolve("known_servers");
    Files.writeString(file, "garbage\nhost:2121\n  host:1 " + FP_A + "  \n");
    KnownServers known = new KnownServers(file);
    assertThat(known.fingerprintOf("host:2121")).isEmpty();
    assertThat(known.fingerprintOf("host:1")).contains(FP_A);

    known.remember("host:2121", FP_B);

    assertThat(Files.readAllLines(file)).containsExactly("garbage", "host:2121", "  host:1 " + FP_A + "  ", "host:2121 " + FP_B);
  }

  @Test
  void fileInAMissingDirectoryIsCreated() throws Exception {
    KnownServers known = new KnownServers(dir.resolve("a/b/known_servers"));
    known.remember("[::1]:2121", FP_A);
    assertThat(known.fingerprintOf("[::1]:2121")).contains(FP_A);
  }
}
