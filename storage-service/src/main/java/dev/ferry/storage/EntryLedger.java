package dev.ferry.storage;

import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How many entries (files, directories, links) each account's home holds, so that directories
 * and empty files, which cost no quota bytes, are not free: a new entry past
 * {@code maxEntriesPerAccount} fails TOO_MANY_ENTRIES. The count is the cluster's, one per
 * account in the cluster-wide async map {@code ferry.storage.entries} shared by every storage
 * node (they all serve the same volume): a home is counted by a walk that stops at the limit,
 * then kept by the changes every node makes (compare-and-set, so no change is lost to another
 * node's), and walked again once the count is a minute old, which corrects what a node that
 * died between counting and creating left behind. Thread-safe; blocking (call from a worker:
 * it waits for the cluster map).
 */
final class EntryLedger {

  static final String MAP = "ferry.storage.entries";
  private static final System.Logger LOG = System.getLogger(EntryLedger.class.getName());
  private static final long FRESH_MS = TimeUnit.SECONDS.toMillis(60);
  private static final long WAIT_MS = 10_000;
  /** Compare-and-set rounds lost to other nodes before an add answers BUSY. */
  private static final int ATTEMPTS = 16;

  /** A count and when its walk was made; stored as text, so that compare-and-set compares exact values. */
  private record Count(long entries, long countedAtMillis) {

    static Count parse(String stored) {
      if (stored == null) {
        return null;
      }
      int colon = stored.indexOf(':');
      return new Count(Long.parseLong(stored.substring(0, colon)), Long.parseLong(stored.substring(colon + 1)));
    }

    String encode() {
      return entries + ":" + countedAtMillis;
    }
  }

  private final Vertx vertx;
  private final HomeJail jail;
  private final long limit;

  EntryLedger(Vertx vertx, HomeJail jail, long limit) {
    this.vertx = vertx;
    this.jail = jail;
    this.limit = limit;
  }

  /**
   * Counts a new entry at {@code virtualPath} for its owner, or fails TOO_MANY_ENTRIES when the
   * owner's home holds its most already. A path no one owns (the admin's, outside every home) is
   * not bounded.
   */
  void add(String virtualPath) throws IOException {
    Optional<String> owner = VirtualPath.ownerOf(virtualPath);
    if (owner.isEmpty()) {
      return;
    }
    String account = owner.get();
    AsyncMap<String, String> counts = await(vertx.sharedData().getAsyncMap(MAP));
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      String stored = await(counts.get(account));
      Count count = Count.parse(stored);
      long now = System.currentTimeMillis();
      if (count == null || now - count.countedAtMillis() > FRESH_MS) {
        try (JailedPath home = jail.home(account)) {
          count = new Count(countUpTo(home, limit), now);
        }
        // The walk is what is on the volume now, whatever was stored: it replaces it.
        await(counts.put(account, count.encode()));
        stored = count.encode();
      }
      if (count.entries() >= limit) {
        throw Failure.TOO_MANY_ENTRIES.exception(account + " has " + limit + " entries");
      }
      if (await(counts.replaceIfPresent(account, stored, new Count(count.entries() + 1, count.countedAtMillis()).encode()))) {
        return;
      }
    }
    throw Failure.BUSY.exception("the entry count of " + account + " is changing too fast");
  }

  /**
   * An entry at {@code virtualPath} was removed, or a counted one was never made. Never fails: a
   * count left too high is corrected by the next walk, within a minute.
   */
  void remove(String virtualPath) {
    Optional<String> owner = VirtualPath.ownerOf(virtualPath);
    if (owner.isEmpty()) {
      return;
    }
    try {
      AsyncMap<String, String> counts = await(vertx.sharedData().getAsyncMap(MAP));
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        String stored = await(counts.get(owner.get()));
        Count count = Count.parse(stored);
        if (count == null || await(counts.replaceIfPresent(owner.get(), stored,
          new Count(Math.max(0, count.entries() - 1), count.countedAtMillis()).encode()))) {
          return;
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot count down an entry of " + owner.get() + ": " + e);
    }
  }

  /** The outcome of {@code future}, waited for on this (worker) thread. */
  private static <T> T await(Future<T> future) throws IOException {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for the cluster's entry counts");
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("the cluster's entry counts are not available", e);
    }
  }

  /** The entries below {@code home}, links not followed, counted no further than {@code most}. */
  static long countUpTo(JailedPath home, long most) throws IOException {
    BasicFileAttributes attributes = home.ownAttributesIfAny();
    if (attributes == null || !attributes.isDirectory()) {
      return 0;
    }
    try (SecureDirectoryStream<Path> dir = home.openDirectory()) {
      return countIn(dir, 0, most);
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  /** {@code seen} plus the entries below the open directory {@code dir}, stopping at {@code most}. */
  private static long countIn(SecureDirectoryStream<Path> dir, long seen, long most) throws IOException {
    for (Path child : dir) {
      if (++seen >= most) {
        return seen;
      }
      Path name = child.getFileName();
      BasicFileAttributes attributes = JailedPath.statOrNull(dir, name);
      if (attributes != null && attributes.isDirectory()) {
        try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
          seen = countIn(sub, seen, most);
        } catch (FileSystemException e) {
          // removed, or replaced by a file or a link while we counted: nothing more below it
        }
        if (seen >= most) {
          return seen;
        }
      }
    }
    return seen;
  }
}
