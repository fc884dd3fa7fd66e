package dev.ferry.sftp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

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
}
