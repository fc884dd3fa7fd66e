package dev.ferry.storage;

import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.Failure;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
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
      try (JailedPath home = jail.home(account)) {
        count = new Count(countUpTo(home, limit), now);
      }
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
