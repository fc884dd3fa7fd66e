package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.store.AtomicFile;
import dev.ferry.protocol.store.PrivateFiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.util.UUID;

/**
 * Where new entries of the files tree are made before they get their name: the partial-upload
 * directory, which only storage writes and no client path reaches. An entry is finished there
 * and then renamed into a {@link JailedPath}'s held directory in one {@code renameat}, so it
 * appears exactly where the path was checked, never where a link swapped in meanwhile leads.
 * Java has no {@code mkdirat}; a directory made here and renamed into place stands in for it.
 * Blocking.
 */
final class StagingArea {

  private final Path dir;

  StagingArea(Path dir) {
    this.dir = dir.toAbsolutePath();
  }

  /**
   * Creates the directory {@code target} (private to the server's user). Renaming onto an empty
   * directory replaces it, so one made at that name by a racing request yields the same result.
   *
   * @throws io.vertx.core.eventbus.ReplyException ALREADY_EXISTS when a file took the name first
   */
  void makeDirectory(JailedPath target) throws IOException {
    Path fresh = Files.createDirectory(dir.resolve("mkdir-" + UUID.randomUUID() + AtomicFile.TEMP_SUFFIX),
      PrivateFiles.directoryAttributes(dir));
    try {
      publish(fresh.getFileName(), target);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(fresh);
      if (e instanceof FileSystemException && target.ownAttributesIfAny() != null) {
        throw Failure.ALREADY_EXISTS.exception();
      }
      throw e;
    }
  }

  /** Renames {@code name} of this area onto {@code target}, replacing what is there, and makes it durable. */
  void publish(Path name, JailedPath target) throws IOException {
    try (SecureDirectoryStream<Path> area = open()) {
      target.receive(area, name);
    }
    target.forceDirectory();
  }

  private SecureDirectoryStream<Path> open() throws IOException {
    DirectoryStream<Path> stream = Files.newDirectoryStream(dir);
    if (stream instanceof SecureDirectoryStream<Path> secure) {
      return secure;
    }
    stream.close();
    throw new IOException("no secure directory streams (openat) on this platform");
  }
}
