package dev.ferry.protocol.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** What Ferry writes is private to its user from the moment it exists, on a real POSIX file system. */
class PrivateFilesTest {

  @TempDir
  Path temp;

  @Test
  void directoriesAreCreatedPrivateAtEveryLevel() throws IOException {
    Path deep = PrivateFiles.createDirectories(temp.resolve("data/tls"));
    assertThat(Files.getPosixFilePermissions(deep)).isEqualTo(PrivateFiles.DIRECTORY);
    assertThat(Files.getPosixFilePermissions(temp.resolve("data"))).isEqualTo(PrivateFiles.DIRECTORY);
  }

  @Test
  void anAtomicWriteIsPrivateFromItsTempFileOn() throws IOException {
    Path target = temp.resolve("data/users.json");
    AtomicFile.write(target, "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PrivateFiles.FILE);
    assertThat(Files.getPosixFilePermissions(target.getParent())).isEqualTo(PrivateFiles.DIRECTORY);
    // The temp file as it is being written: already 0600 before any byte is in it.
    Path tempFile = AtomicFile.tempFor(target);
    try (FileChannel open = AtomicFile.openTemp(tempFile)) {
      assertThat(open.size()).isZero();
      assertThat(Files.getPosixFilePermissions(tempFile)).isEqualTo(PrivateFiles.FILE);
    }
  }

  @Test
  void aLeftoverTempFileWithAWiderModeIsNotReused() throws IOException {
    Path target = temp.resolve("users.json");
    Path tempFile = AtomicFile.tempFor(target);
    Files.writeString(tempFile, "debris of a crash");
    Files.setPosixFilePermissions(tempFile, PosixFilePermissions.fromString("rw-r--r--"));
    try (FileChannel open = AtomicFile.openTemp(tempFile)) {
      assertThat(open.size()).isZero();
      assertThat(Files.getPosixFilePermissions(tempFile)).isEqualTo(PrivateFiles.FILE);
    }
  }

  @Test
  void aReplacedFileBecomesPrivate() throws IOException {
    Path target = temp.resolve("users.json");
    Files.writeString(target, "old");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    AtomicFile.write(target, "new".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readString(target)).isEqualTo("new");
    assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PrivateFiles.FILE);
  }
}
