package dev.ferry.client;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The per-user directory ({@code FERRY_CONFIG_DIR}, else {@code ~/.ferry}) holding
 * {@code known_servers} and the shell {@code history}. Created private to its owner: the
 * history shows what the user did, and a writable {@code known_servers} is a trust anchor.
 */
final class ConfigDirectory {

  private ConfigDirectory() {
  }

  static Path ensure(Path dir) throws ConnectionException {
    try {
      if (Files.isDirectory(dir)) {
        return dir;
      }
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(dir);
      }
      return dir;
    } catch (IOException e) {
      throw new ConnectionException(e, "config.unusable", dir, e.getMessage());
    }
  }
}
