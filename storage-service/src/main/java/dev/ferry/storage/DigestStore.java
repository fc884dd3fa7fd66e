package dev.ferry.storage;

import dev.ferry.protocol.store.AtomicFile;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Remembered SHA-256 digests of files, so that a download or a checksum of a file that has not
 * changed since it was published (or last hashed) does not read it all again.
 *
 * <p>One sidecar per virtual path under {@code <data>/digests/}, named by the hex SHA-256 of the
 * path, holding {@code {size, mtime, fileKey, sha256}}. A digest is used only while the file
 * still has that size, modification time (ms) and file key (inode): a rename, an overwrite or an
 * edit from outside Ferry changes at least one of them, so a stale sidecar is never believed and
 * never needs to be cleaned eagerly. Blocking: call from a worker.
 */
final class DigestStore {

  private static final System.Logger LOG = System.getLogger(DigestStore.class.getName());
  private static final String SIZE = "size";
  private static final String MTIME = "mtime";
  private static final String FILE_KEY = "fileKey";
  private static final String SHA256 = "sha256";

  private final Path dir;

  DigestStore(Path dir) {
    this.dir = dir;
  }

  /** The remembered digest of the file at {@code virtualPath} if it still describes {@code now}. */
  Optional<String> lookup(String virtualPath, BasicFileAttributes now) {
    JsonObject stored;
    try {
      stored = new JsonObject(Files.readString(sidecar(virtualPath), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | DecodeException | ClassCastException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "unreadable digest of " + virtualPath + ": " + e);
      return Optional.empty();
    }
    boolean same = stored.getValue(SIZE) instanceof Number size && size.longValue() == now.size()
      && stored.getValue(MTIME) instanceof Number mtime && mtime.longValue() == now.lastModifiedTime().toMillis()
      && String.valueOf(now.fileKey()).equals(stored.getValue(FILE_KEY));
    Object sha = stored.getValue(SHA256);
    return same && sha instanceof String s && s.length() == 64 ? Optional.of(s) : Optional.empty();
  }

  /**
   * Remembers {@code sha256} for the file at {@code virtualPath} as {@code attributes} describe
   * it. A failure is logged, not thrown: the digest is only a shortcut, never the truth.
   */
  void record(String virtualPath, BasicFileAttributes attributes, String sha256) {
    try {
      byte[] json = describe(attributes).put(SHA256, sha256).encode().getBytes(StandardCharsets.UTF_8);
      AtomicFile.write(sidecar(virtualPath), json);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "could not store the digest of " + virtualPath, e);
    }
  }

  private Path sidecar(String virtualPath) {
    return dir.resolve(Sha256.ofText(virtualPath) + ".json");
  }

  private static JsonObject describe(BasicFileAttributes attributes) {
    return new JsonObject()
      .put(SIZE, attributes.size())
      .put(MTIME, attributes.lastModifiedTime().toMillis())
      .put(FILE_KEY, String.valueOf(attributes.fileKey()));
  }
}
