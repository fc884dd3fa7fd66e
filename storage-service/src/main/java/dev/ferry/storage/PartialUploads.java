package dev.ferry.storage;

import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.store.AtomicFile;
import dev.ferry.protocol.store.PrivateFiles;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partial uploads under {@code <data>/partial/}, outside the files tree so no listing ever
 * shows them (PROTOCOL.md s3: "Partial uploads never appear in listings"). One upload target has
 * one key, the hex SHA-256 of its virtual path: {@code <key>.part} holds the bytes received so
 * far and {@code <key>.json} the {@link Meta} that says whose and what they are.
 *
 * <p>Who may touch a partial: a file lock on the {@code .part} file (held for the life of an
 * upload handle) keeps out other processes sharing the volume, and a claim in this JVM keeps out
 * other handles and sweeps of this JVM. The claim must come first: on Linux, closing any channel
 * of a file drops every lock this process holds on it, so a second channel must never be opened
 * on a file another handle has locked. Blocking: call from a worker.
 */
final class PartialUploads {

  private static final System.Logger LOG = System.getLogger(PartialUploads.class.getName());
  /** Partial files claimed in this JVM, by absolute path: shared by every storage node it runs. */
  private static final Set<String> CLAIMS = ConcurrentHashMap.newKeySet();
  private static final String PART = ".part";
  private static final String META = ".json";

  /**
   * Whose partial this is and what it will become. {@code owner} is the account uploading it,
   * the only one that may resume it; its bytes count toward the quota of the owner of
   * {@code target} ({@link VirtualPath#ownerOf}), which differs when the admin uploads into a
   * user's home. {@code sha256} is "" when the client gave none.
   */
  record Meta(String owner, String target, long size, String sha256, long created) {

    JsonObject toJson() {
      return new JsonObject().put("owner", owner).put("target", target).put("size", size).put("sha256", sha256)
        .put("created", created);
    }

    static Meta fromJson(JsonObject json) {
      return new Meta(json.getString("owner"), json.getString("target"), json.getLong("size"), json.getString("sha256"),
        json.getLong("created"));
    }

    /**
     * Whether an upload of {@code target} with this size and checksum may go on from this partial:
     * same owner, target and size, and the same SHA-256 unless one of the two uploads declared
     * none: the check at the end covers the whole file, resumed prefix included.
     */
    boolean resumableBy(String account, String target, long size, String sha256) {
      return owner.equals(account) && this.target.equals(target) && this.size == size
        && (sha256.isEmpty() || this.sha256.isEmpty() || sha256.equals(this.sha256));
    }
  }

  /**
   * A partial upload a sweep removed: its target ("" when its metadata was unreadable) and the
   * bytes a recount counted for it until then ({@link #counted}), which its target's owner no
   * longer uses.
   */
  record Expired(String target, long bytes) {
  }

  private final Path dir;
  private final StagingArea staging;

  PartialUploads(Path dir) {
    this.dir = dir.toAbsolutePath();
    this.staging = new StagingArea(this.dir);
  }

  static String keyOf(String targetVirtualPath) {
    return Sha256.ofText(targetVirtualPath);
  }

  Path part(String key) {
    return dir.resolve(key + PART);
  }

  Path meta(String key) {
    return dir.resolve(key + META);
  }

  /** The data of the partial of {@code key}, created private (0600) if missing, open to read and write. */
  FileChannel openPart(String key) throws IOException {
    return FileChannel.open(part(key), Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
      PrivateFiles.fileAttributes(dir));
  }

  /**
   * Renames the data of the partial of {@code key} onto {@code destination}, replacing what is
   * there, through the directory handle the destination holds (never by path, never through a
   * link), and makes the rename durable.
   */
  void publish(String key, JailedPath destination) throws IOException {
    staging.publish(part(key).getFileName(), destination);
  }

  /** Claims a partial for this JVM; false if a handle or a sweep of this JVM has it. */
  boolean claim(String key) {
    return CLAIMS.add(part(key).toString());
  }

  void release(String key) {
    CLAIMS.remove(part(key).toString());
  }

  Optional<Meta> readMeta(String key) {
    try {
      return Optional.of(Meta.fromJson(new JsonObject(Files.readString(meta(key), StandardCharsets.UTF_8))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | DecodeException | ClassCastException | NullPointerException e) {
      LOG.log(System.Logger.Level.WARNING, "unreadable partial upload metadata " + meta(key) + ": " + e);
      return Optional.empty();
    }
  }

  void writeMeta(String key, Meta meta) throws IOException {
    AtomicFile.write(meta(key), meta.toJson().encode().getBytes(StandardCharsets.UTF_8));
  }

  void deleteMeta(String key) throws IOException {
    Files.deleteIfExists(meta(key));
  }

  /** Drops a partial: its data, then its metadata (so a crash in between leaves no claim on nothing). */
  void discard(String key) throws IOException {
    Files.deleteIfExists(part(key));
    Files.deleteIfExists(meta(key));
  }

  /** How many partial uploads {@code account} has begun (by their metadata), whatever their target. */
  int countOf(String account) throws IOException {
    int count = 0;
    try (DirectoryStream<Path> metas = Files.newDirectoryStream(dir, "*" + META)) {
      for (Path metaFile : metas) {
        Optional<Meta> meta = readMeta(keyOfFile(metaFile, META));
        if (meta.isPresent() && meta.get().owner().equals(account)) {
          count++;
        }
      }
    } catch (NoSuchFileException e) {
      return 0;
    }
    return count;
  }

  /**
   * Bytes on disk of the partial uploads whose target is in {@code account}'s home, whoever
   * uploads them: PROTOCOL.md s6, usage "is the bytes of the user's files and partial uploads",
   * and StorageApi, USAGE "counts [...] the partial uploads whose target is under it". Data
   * without readable metadata belongs to no one and counts for no one.
   */
  long bytesOf(String account) throws IOException {
    Optional<String> owner = Optional.of(account);
    long bytes = 0;
    try (DirectoryStream<Path> metas = Files.newDirectoryStream(dir, "*" + META)) {
      for (Path metaFile : metas) {
        String key = keyOfFile(metaFile, META);
        Optional<Meta> meta = readMeta(key);
        if (meta.isPresent() && VirtualPath.ownerOf(meta.get().target()).equals(owner)) {
          bytes += sizeOrZero(part(key));
        }
      }
    }
    return bytes;
  }

  /**
   * Bytes a recount ({@link #bytesOf}) counts for the partial of {@code key} now, for the owner
   * of its target: its data's size while its metadata is readable, else 0.
   */
  long counted(String key) throws IOException {
    return readMeta(key).isPresent() ? sizeOrZero(part(key)) : 0;
  }

  /**
   * Deletes partial uploads created before {@code cutoffMillis} (PROTOCOL.md s5: they "expire
   * after a configurable time") unless a handle here or another process holds them, and leftovers
   * of crashes that old: data without metadata, metadata without data, temp files. Answers the
   * partials it removed.
   */
  List<Expired> sweep(long cutoffMillis) throws IOException {
    List<Expired> removed = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        try {
          Expired expired = null;
          if (name.endsWith(META)) {
            String key = keyOfFile(entry, META);
            long created = readMeta(key).map(Meta::created).orElse(modifiedMillis(entry));
            if (created < cutoffMillis) {
              expired = removeUnlessHeld(key);
            }
          } else if (name.endsWith(PART)) {
            String key = keyOfFile(entry, PART);
            if (!Files.exists(meta(key)) && modifiedMillis(entry) < cutoffMillis) {
              expired = removeUnlessHeld(key);
            }
          } else if (name.endsWith(AtomicFile.TEMP_SUFFIX) && modifiedMillis(entry) < cutoffMillis) {
            Files.deleteIfExists(entry);
          }
          if (expired != null) {
            removed.add(expired);
          }
        } catch (NoSuchFileException e) {
          // Gone already: the other half of a partial this sweep just removed, or a finished upload.
        } catch (IOException e) {
          LOG.log(System.Logger.Level.WARNING, "could not expire partial upload " + entry, e);
        }
      }
    }
    return removed;
  }

  /** What the partial of {@code key} was, measured just before it goes; null when it is held. */
  private Expired removeUnlessHeld(String key) throws IOException {
    if (!claim(key)) {
      return null;
    }
    try {
      String target = readMeta(key).map(Meta::target).orElse("");
      if (!Files.exists(part(key))) {
        Files.deleteIfExists(meta(key));
        return new Expired(target, 0);
      }
      try (FileChannel channel = FileChannel.open(part(key), StandardOpenOption.WRITE)) {
        FileLock lock = tryLock(channel);
        if (lock == null) {
          return null; // another process is uploading it right now
        }
        long bytes = counted(key);
        discard(key);
        return new Expired(target, bytes);
      }
    } catch (NoSuchFileException e) {
      return null;
    } finally {
      release(key);
    }
  }

  /** The lock of a partial, or null when another process holds it. */
  static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // this JVM holds it: the claims should have kept us out, but never wait on it
    }
  }

  private static String keyOfFile(Path file, String suffix) {
    String name = file.getFileName().toString();
    return name.substring(0, name.length() - suffix.length());
  }

  private static long sizeOrZero(Path file) throws IOException {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  private static long modifiedMillis(Path file) throws IOException {
    return Files.getLastModifiedTime(file).toMillis();
  }
}
