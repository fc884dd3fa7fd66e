package dev.ferry.sftp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostKeyTest {

  @Test
  void theKeyIsMadeOnceOwnerOnlyAndReused(@TempDir Path data) throws Exception {
    Path dir = data.resolve("ssh");
    HostKey first = HostKey.load(dir);
    assertThat(first.fingerprint()).matches("SHA256:[A-Za-z0-9+/]{43}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(HostKey.FILE)))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(HostKey.load(dir).fingerprint()).isEqualTo(first.fingerprint());
  }

  @Test
  void aGivenKeyIsReadAsItIsFromAReadOnlyPlace(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("host_key");
    run("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", key.toString());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--r-----"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
    try {
      String expected = run("ssh-keygen", "-l", "-E", "sha256", "-f", key.toString()).split(" ")[1];
      assertThat(HostKey.read(key).fingerprint()).isEqualTo(expected);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("r--r-----");
    } finally {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void aMissingGivenKeyIsAClearError(@TempDir Path dir) {
    assertThatThrownBy(() -> HostKey.read(dir.resolve("absent"))).isInstanceOf(IOException.class)
      .hasMessageContaining("ssh-keygen");
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    return output;
  }
}
