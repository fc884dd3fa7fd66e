package dev.ferry.client.transfer;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The SHA-256 of local files already uploaded or hashed, kept in {@code checksums} in the
 * config directory so that sending a file again (a resumed {@code put}, the same file to another
 * place) does not read it twice. An entry holds while the file's size, modification and change
 * times and identity (device and inode) are what they were when it was hashed, the way rsync and
 * git trust a file's metadata. A file changed less than {@link #SETTLED} before it was hashed is
 * not kept: a write in the same tick of the clock would not change its times. The server checks
 * every upload's SHA-256 against the bytes it received, so a stale entry fails an upload
 * ({@code CHECKSUM_MISMATCH}), it cannot store wrong data; the caller then forgets the entry.
 */
public final class LocalChecksums {

  public static final String FILE_NAME = "checksums";
  /** Entries kept, the most recently used; about 200 bytes each. */
  static final int MAX_ENTRIES = 1000;
  static final long SETTLED = TimeUnit.SECONDS.toNanos(2);

  private final Path file;
  private final LongSupplier clock;
  private final int maxEntries;

  /** @param clock the wall clock in nanoseconds since the epoch (tests move it) */
  LocalChecksums(Path file, LongSupplier clock, int maxEntries) {
    this.file = file;
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  /** The checksums of {@code configDirectory}, or none (a no-op) when it is null. */
  public static LocalChecksums in(Path configDirectory) {
    return new LocalChecksums(configDirectory == null ? null : configDirectory.resolve(FILE_NAME), LocalChecksums::now,
      MAX_ENTRIES);
  }

  private static long now() {
    return TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
  }

  /** What identifies one state of a file: where it is and its metadata. */
  record Stamp(String path, long size, long modified, long changed, String identity) {

    static Optional<Stamp> of(Path file) {
      try {
        Path real = file.toRealPath();
        BasicFileAttributes basic = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long changed = nanos(basic.lastModifiedTime());
        try {
          changed = nanos((FileTime) Files.getAttribute(real, "unix:ctime", LinkOption.NOFOLLOW_LINKS));
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
          // No change time on this file system: the modification time stands for it.
        }
        return Optional.of(new Stamp(real.toString(), basic.size(), nanos(basic.lastModifiedTime()), changed,
          Objects.toString(basic.fileKey(), "")));
      } catch (IOException | SecurityException e) {
        return Optional.empty();
      }
    }

    private static long nanos(FileTime time) {
      return time.to(TimeUnit.NANOSECONDS);
    }

    JsonObject toJson(String sha256) {
      return new JsonObject().put("path", path).put("size", size).put("modified", modified).put("changed", changed)
        .put("identity", identity).put("sha256", sha256);
    }

    static Stamp fromJson(JsonObject json) {
      return new Stamp(json.getString("path"), json.getLong("size"), json.getLong("modified"), json.getLong("changed"),
        json.getString("identity"));
    }
  }

  /** The SHA-256 recorded for {@code file} as it is now, if any. */
  public synchronized Optional<String> lookup(Path file) {
    if (this.file == null) {
      return Optional.empty();
    }
    Optional<Stamp> stamp = Stamp.of(file);
    if (stamp.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(read().get(stamp.get()));
  }

  /**
   * Records {@code sha256} for {@code file}, as {@code before} (its stamp taken before it was
   * read) if it is unchanged since and had settled; otherwise records nothing.
   */
  public synchronized void remember(Path file, Stamp before, String sha256) {
    if (this.file == null || before == null) {
      return;
    }
    Optional<Stamp> after = Stamp.of(file);
    if (after.isEmpty() || !after.get().equals(before)) {
      return;
    }
    long latest = Math.max(before.modified(), before.changed());
    if (clock.getAsLong() - latest < SETTLED) {
      return;
    }
    Map<Stamp, String> entries = read();
    entries.keySet().removeIf(s -> s.path().equals(before.path()));
    entries.put(before, sha256);
    write(entries);
  }

  /** Forgets what is recorded for {@code file} (the server found another checksum). */
  public synchronized void forget(Path file) {
    if (this.file == null) {
      return;
    }
    String path;
    try {
      path = file.toRealPath().toString();
    } catch (IOException e) {
      path = file.toAbsolutePath().normalize().toString();
    }
    Map<Stamp, String> entries = read();
    String gone = path;
    if (entries.keySet().removeIf(s -> s.path().equals(gone))) {
      write(entries);
    }
  }

  /** The entries, oldest first; an unreadable or damaged file reads as empty (it is only a cache). */
  private Map<Stamp, String> read() {
    Map<Stamp, String> entries = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return entries;
    }
    for (String line : lines) {
      try {
        JsonObject json = new JsonObject(line);
        String sha256 = json.getString("sha256");
        if (sha256 != null && sha256.matches("[0-9a-f]{64}")) {
          entries.put(Stamp.fromJson(json), sha256);
        }
      } catch (DecodeException | ClassCastException | NullPointerException e) {
        // A damaged line is dropped.
      }
    }
    return entries;
  }

  /** Writes the newest {@code maxEntries} entries atomically; a failure only loses the cache. */
  private void write(Map<Stamp, String> entries) {
    List<String> lines = new ArrayList<>();
    entries.forEach((stamp, sha256) -> lines.add(stamp.toJson(sha256).encode()));
    List<String> kept = lines.subList(Math.max(0, lines.size() - maxEntries), lines.size());
    Path temp = file.resolveSibling(FILE_NAME + "." + ProcessHandle.current().pid() + ".tmp");
    try {
      Files.write(temp, kept, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // Nothing more to do for a cache.
      }
    }
  }
}
