package dev.ferry.storage;

import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Counter;

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
import java.util.function.Function;

/**
 * How many entries (files, directories, links) each account's home holds, so that directories
 * and empty files, which cost no quota bytes, are not free: a new entry past
 * {@code maxEntriesPerAccount} fails TOO_MANY_ENTRIES. The count lives in a cluster-wide counter
 * per account ({@code ferry.storage.entries.<account>}), so the bound holds over every storage
 * node together; each counter holds the entries plus one, and zero or less means not counted yet.
 *
 * <p>An operation that may make an entry first reserves one on the event loop (never from a
 * worker thread, whose pool the cluster's own calls may need), then does its blocking work,
 * which {@link Entry#claim() claims} the reservation only if it makes the entry, and gives back
 * an unclaimed one. A home is counted by a walk that stops at the limit: the first time its
 * account makes an entry, and again before a refusal when this node has not counted it for a
 * minute, so a count that drifted (a node killed mid-operation, changes made outside the
 * server) mends itself. Entries made while such a recount runs can pass the bound by that many.
 */
final class EntryLedger {

  static final String PREFIX = "ferry.storage.entries.";
  private static final long RECOUNT_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final int RECOUNTS = 3;

  private final Vertx vertx;
  private final HomeJail jail;
  private final long limit;
  /** When this node last counted each account's home: bounded by the accounts. */
  private final Map<String, Long> countedAt = new ConcurrentHashMap<>();

  EntryLedger(Vertx vertx, HomeJail jail, long limit) {
    this.vertx = vertx;
    this.jail = jail;
    this.limit = limit;
  }

  /**
   * A reservation of one new entry in a home: granted or refused. The blocking work calls
   * {@link #claim()} when it makes the entry, and {@link #unclaim()} when it then fails to.
   */
  static final class Entry {

    private static final Entry UNBOUNDED = new Entry(null, null, true);

    private final EntryLedger ledger;
    private final String account;
    private final boolean granted;
    private volatile boolean claimed;

    private Entry(EntryLedger ledger, String account, boolean granted) {
      this.ledger = ledger;
      this.account = account;
      this.granted = granted;
    }

    /** The entry is being made: TOO_MANY_ENTRIES when its home holds its most already. */
    void claim() {
      if (!granted) {
        throw Failure.TOO_MANY_ENTRIES.exception(account + " has " + ledger.limit + " entries");
      }
      claimed = true;
    }

    /** A claimed entry was not made after all. */
    void unclaim() {
      claimed = false;
    }

    private void settle() {
      if (granted && !claimed && ledger != null) {
        ledger.counter(account).compose(counter -> counter.decrementAndGet());
      }
    }
  }

  /**
   * Runs {@code work} with a reservation of one new entry in the home that owns
   * {@code virtualPath}, and gives the reservation back unless the work claimed it. A path no
   * one owns (the admin's, outside every home) is not bounded, nor is one {@code who} may not
   * manage (the work fails NO_PERMISSION without telling anything of another's count), nor one
   * that is not a path (the work fails BAD_NAME).
   */
  <T> Future<T> withEntry(Principal who, String virtualPath, Function<Entry, Future<T>> work) {
    Optional<String> owner;
    try {
      owner = VirtualPath.ownerOf(VirtualPath.resolve(VirtualPath.ROOT, virtualPath)).filter(who::mayManage);
    } catch (VirtualPath.BadNameException e) {
      owner = Optional.empty();
    }
    if (owner.isEmpty()) {
      return work.apply(Entry.UNBOUNDED);
    }
    return reserve(owner.get(), RECOUNTS).compose(entry -> {
      Future<T> done;
      try {
        done = work.apply(entry);
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      return done.onComplete(ar -> entry.settle());
    });
  }

  /**
   * An entry at {@code virtualPath} was removed. A count that reaches zero this way had drifted,
   * and is counted anew when next used.
   */
  void remove(String virtualPath) {
    VirtualPath.ownerOf(virtualPath).ifPresent(account -> counter(account).compose(Counter::decrementAndGet));
  }

  /** Forgets the count of {@code account}'s home: it was purged, and is counted anew when next used. */
  Future<Void> forget(String account) {
    countedAt.remove(account);
    return counter(account).compose(counter -> counter.get().compose(held -> counter.compareAndSet(held, 0))).mapEmpty();
  }

  private Future<Counter> counter(String account) {
    return vertx.sharedData().getCounter(PREFIX + account);
  }

  /**
   * One entry of {@code account}'s home, counting the home first when it was not counted yet,
   * and again before a refusal when this node has not counted it lately; {@code recounts} bounds
   * the walks one reservation may make while other nodes change the count under it.
   */
  private Future<Entry> reserve(String account, int recounts) {
    return counter(account).compose(counter -> counter.incrementAndGet().compose(held -> {
      if (held <= 1 && recounts > 0) {
        return counter.decrementAndGet().compose(v -> recount(account, counter)).compose(v -> reserve(account, recounts - 1));
      }
      if (held <= 1) {
        return counter.decrementAndGet().compose(v -> Future.failedFuture(
          Failure.BUSY.exception("the entries of " + account + " are being counted")));
      }
      if (held - 1 <= limit) {
        return Future.succeededFuture(new Entry(this, account, true));
      }
      return counter.decrementAndGet().compose(v -> {
        Long last = countedAt.get(account);
        if (recounts > 0 && (last == null || System.nanoTime() - last > RECOUNT_NANOS)) {
          return recount(account, counter).compose(r -> reserve(account, 0));
        }
        return Future.succeededFuture(new Entry(this, account, false));
      });
    }));
  }

  /** Sets the counter to what the home holds on disk (plus one). */
  private Future<Void> recount(String account, Counter counter) {
    countedAt.put(account, System.nanoTime());
    return vertx.executeBlocking(() -> {
      try (JailedPath home = jail.home(account)) {
        return countUpTo(home, limit + 1);
      }
    }, false).compose(entries -> counter.get().compose(held -> counter.compareAndSet(held, entries + 1))).mapEmpty();
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
