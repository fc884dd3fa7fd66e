package dev.ferry.client.transfer;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The SHA-256 of local files already uploaded or hashed, kept in {@code checksums} in the
 * config directory so that sending a file again (a resumed {@code put}, the same file to another
 * place) does not read it twice. An entry holds while the file's size, modification and change
 * times and identity (device and inode) are what they were when it was hashed, the way rsync and
 * git trust a file's metadata. A file changed less than {@link #SETTLED} before it was read is
 * not kept: a write in the same tick of the clock would not change its times. The server checks
 * every upload's SHA-256 against the bytes it received, so a stale entry fails an upload
 * ({@code CHECKSUM_MISMATCH}), it cannot store wrong data; the caller then forgets the entry.
 * Only files of at least {@link #WORTH_KEEPING} bytes are kept: a smaller one hashes faster
 * than its entry is read.
 *
 * <p>{@link #prefetch} hashes the files a {@code put} is about to send on a thread of its own,
 * so that the hash pass overlaps connecting and logging in, and each transfer the next file's.
 */
public final class LocalChecksums {

  public static final String FILE_NAME = "checksums";
  /** Entries kept, the most recently used; about 200 bytes each. */
  static final int MAX_ENTRIES = 1000;
  static final long SETTLED = TimeUnit.SECONDS.toNanos(2);
  static final long WORTH_KEEPING = 16L << 20;
  private static final int BLOCK = 1 << 20;

  private final Path file;
  private final LongSupplier clock;
  private final int maxEntries;
  private final long smallest;
  /** Where {@link #prefetch} hashes: a daemon thread of its own per call, unless a test holds the work. */
  private final Executor hashing;
  /** Files being hashed ahead, by absolute path. */
  private final Map<Path, Ahead> ahead = new ConcurrentHashMap<>();

  /** A hash under way on the prefetch thread: how far it is, and its outcome. */
  record Ahead(AtomicLong position, CompletableFuture<String> sha256) {
  }

  /**
   * @param clock    the wall clock in nanoseconds since the epoch (tests move it)
   * @param smallest the size of the smallest file worth an entry
   */
  LocalChecksums(Path file, LongSupplier clock, int maxEntries, long smallest, Executor hashing) {
    this.hashing = hashing;
    this.file = file;
    this.clock = clock;
    this.maxEntries = maxEntries;
    this.smallest = smallest;
  }

  /** The checksums of {@code configDirectory}, or none (a no-op) when it is null. */
  public static LocalChecksums in(Path configDirectory) {
    return in(configDirectory, task -> {
      Thread thread = new Thread(task, "ferry-checksums-ahead");
      thread.setDaemon(true);
      thread.start();
    });
  }

  /** As {@link #in(Path)}, hashing ahead on {@code hashing}. */
  public static LocalChecksums in(Path configDirectory, Executor hashing) {
    return new LocalChecksums(configDirectory == null ? null : configDirectory.resolve(FILE_NAME), LocalChecksums::now,
      MAX_ENTRIES, WORTH_KEEPING, hashing);
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

  /** Whether files of {@code size} bytes are worth a cache entry. */
  private boolean worthKeeping(long size) {
    return size >= smallest;
  }

  /**
   * Starts hashing those of {@code files} that are regular files worth keeping and not
   * recorded, one after another on a daemon thread. {@link #await} then takes the result.
   */
  public void prefetch(List<Path> files) {
    if (this.file == null) {
      return;
    }
    Map<Path, Ahead> todo = new LinkedHashMap<>();
    for (Path f : files) {
      try {
        if (Files.isRegularFile(f) && worthKeeping(Files.size(f)) && !ahead.containsKey(key(f)) && lookup(f).isEmpty()) {
          Ahead a = new Ahead(new AtomicLong(), new CompletableFuture<>());
          ahead.put(key(f), a);
          todo.put(f, a);
        }
      } catch (IOException | SecurityException e) {
        // Left to the upload, which reports it.
      }
    }
    if (todo.isEmpty()) {
      return;
    }
    hashing.execute(() -> todo.forEach(this::hashAhead));
  }

  private static Path key(Path file) {
    return file.toAbsolutePath().normalize();
  }

  /** Hashes {@code f} into {@code a}, which always completes: an upload may be waiting for it. */
  private void hashAhead(Path f, Ahead a) {
    try (FileChannel channel = FileChannel.open(f)) {
      Taken before = take(f);
      MessageDigest digest = Sha256.newDigest();
      ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
      long position = 0;
      int n;
      while ((n = channel.read(buffer.clear(), position)) > 0) {
        digest.update(buffer.array(), 0, n);
        position += n;
        a.position().set(position);
      }
      String sha256 = Sha256.hex(digest.digest());
      remember(f, before, sha256);
      a.sha256().complete(sha256);
    } catch (IOException | RuntimeException e) {
      a.sha256().completeExceptionally(e);
    } finally {
      a.sha256().completeExceptionally(new IllegalStateException("not hashed"));
    }
  }

  /** The hash of {@code file} {@link #prefetch} began, taken (once), done or not; empty if there is none. */
  Optional<Ahead> ahead(Path file) {
    return Optional.ofNullable(ahead.remove(key(file)));
  }

  /**
   * {@code a}'s SHA-256, waited for as a checksum phase of {@code progress}; empty if that hash
   * failed (the caller hashes the file itself).
   */
  static Optional<String> await(Ahead a, long size, String name, Progress progress, Cancellation cancellation)
    throws TransferInterruptedException {
    progress.begin(name, Progress.Phase.CHECKSUM, size, a.position().get());
    boolean completed = false;
    try {
      while (true) {
        if (cancellation.requested()) {
          throw new TransferInterruptedException(name);
        }
        try {
          String sha256 = a.sha256().get(100, TimeUnit.MILLISECONDS);
          progress.update(size);
          completed = true;
          return Optional.of(sha256);
        } catch (TimeoutException e) {
          progress.update(Math.min(size, a.position().get()));
        } catch (ExecutionException e) {
          return Optional.empty();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TransferInterruptedException(name);
        }
      }
    } finally {
      progress.end(completed);
    }
  }

  /** The SHA-256 recorded for {@code file} as it is now, if any. */
  public synchronized Optional<String> lookup(Path file) {
    if (this.file == null) {
      return Optional.empty();
    }
    Optional<Stamp> stamp = Stamp.of(file);
    if (stamp.isEmpty() || !worthKeeping(stamp.get().size())) {
      return Optional.empty();
    }
    return Optional.ofNullable(read().get(stamp.get()));
  }

  /** A file's stamp and when it was taken, before the file is read for its hash. */
  record Taken(Stamp stamp, long at) {
  }

  /** {@code file}'s stamp now, to {@link #remember} its hash by once it is read; null if it has none. */
  Taken take(Path file) {
    return Stamp.of(file).map(stamp -> new Taken(stamp, clock.getAsLong())).orElse(null);
  }

  /**
   * Records {@code sha256} for {@code file} if it is unchanged since {@code before} and had
   * settled then (a write in the same clock tick as the read would not change its times);
   * otherwise records nothing.
   */
  public synchronized void remember(Path file, Taken before, String sha256) {
    if (this.file == null || before == null || !worthKeeping(before.stamp().size())) {
      return;
    }
    Optional<Stamp> after = Stamp.of(file);
    if (after.isEmpty() || !after.get().equals(before.stamp())) {
      return;
    }
    long latest = Math.max(before.stamp().modified(), before.stamp().changed());
    if (before.at() - latest < SETTLED) {
      return;
    }
    Map<Stamp, String> entries = read();
    entries.keySet().removeIf(s -> s.path().equals(before.stamp().path()));
    entries.put(before.stamp(), sha256);
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
