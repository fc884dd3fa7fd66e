package dev.ferry.storage;

import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.Failure;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How many entries (files, directories, links) each account's home holds, so that directories
 * and empty files, which cost no quota bytes, are not free: a new entry past
 * {@code maxEntriesPerAccount} fails TOO_MANY_ENTRIES. A home is counted by a walk that stops at
 * the limit, then kept by the changes this node makes, and walked again once the count is a
 * minute old (other nodes of a cluster change the same homes). The bound is so a soft one: it
 * can be passed by what other nodes created within that minute. Thread-safe; blocking.
 */
final class EntryLedger {

  private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(60);

  private record Count(long entries, long countedAt) {
  }

  private final HomeJail jail;
  private final long limit;
  /** One count per account that made an entry since the start: bounded by the accounts. */
  private final Map<String, Count> counts = new ConcurrentHashMap<>();

  EntryLedger(HomeJail jail, long limit) {
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
    long now = System.nanoTime();
    Count count = counts.get(account);
    if (count == null || now - count.countedAt() > FRESH_NANOS) {
      count = new Count(countUpTo(jail.home(account).real(), limit), now);
    }
    if (count.entries() >= limit) {
      counts.put(account, count);
      throw Failure.TOO_MANY_ENTRIES.exception(account + " has " + limit + " entries");
    }
    counts.put(account, new Count(count.entries() + 1, count.countedAt()));
  }

  /** An entry at {@code virtualPath} was removed, or a counted one was never made. */
  void remove(String virtualPath) {
    VirtualPath.ownerOf(virtualPath).ifPresent(account ->
      counts.computeIfPresent(account, (a, count) -> new Count(Math.max(0, count.entries() - 1), count.countedAt())));
  }

  /** The entries below {@code home}, links not followed, counted no further than {@code most}. */
  static long countUpTo(Path home, long most) throws IOException {
    long[] seen = {0};
    Files.walkFileTree(home, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return dir.equals(home) ? FileVisitResult.CONTINUE : counted();
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        return counted();
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE; // gone meanwhile, or unreadable: not counted
      }

      private FileVisitResult counted() {
        seen[0]++;
        return seen[0] >= most ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
      }
    });
    return seen[0];
  }
}
