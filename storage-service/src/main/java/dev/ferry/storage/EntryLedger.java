package dev.ferry.storage;

import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Counter;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
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
 * node together. A counter holds the entries plus one; 0 means not counted yet, and below zero
 * that a node is walking the home to count it, while the others wait (a mark that stands still
 * for 30 s is a walk whose node is gone, and the home is counted anew). Every change is a compare-and-set
 * from a value read, so no increment is ever seen that is not a count.
 *
 * <p>An operation that may make an entry first reserves one on the event loop (never from a
 * worker thread, whose pool the cluster's own calls may need), then does its blocking work,
 * which {@link Entry#claim() claims} the reservation only if it makes the entry, and gives back
 * an unclaimed one. A home is counted by a walk that stops at the limit: the first time its
 * account makes an entry, and again, when this node has not walked it for a minute, before an
 * entry within the last tenth of the limit and before a refusal. So a count that drifted (a node
 * killed mid-operation, changes made outside the server or across homes) mends itself where it
 * matters. An entry granted just before such a recount and made after the walk passed its place
 * is missed by it. A walk that cannot finish (a tree deeper than 1,000 directories, no file
 * handles left) fails the request rather than count less.
 */
final class EntryLedger {

  static final String PREFIX = "ferry.storage.entries.";
  private static final long NOT_COUNTED = 0;
  /** The first mark of a walk; the walker moves it down one every {@link #BEAT_MS} to show it lives. */
  private static final long COUNTING = -1;
  private static final long BEAT_MS = 5_000;
  private static final long RECOUNT_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** Compare-and-set attempts one change may make against others changing the same count. */
  private static final int MOST_TRIES = 200;
  /** Directories a walk goes down at most; each holds an open handle while below it. */
  private static final int MAX_DEPTH = 1000;
  private static final long WAIT_FIRST_MS = 20;
  private static final long WAIT_MOST_MS = 500;
  /** How long one request waits for another node's walk before it answers BUSY. */
  private static final long WAIT_TOTAL_MS = 20_000;
  /** How long a walk's mark may stand still before its walk is taken for dead (its node gone). */
  static final long DEAD_WALK_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Vertx vertx;
  private final HomeJail jail;
  private final long limit;
  private final long deadWalkNanos;
  /** When this node last counted each account's home: bounded by the accounts. */
  private final Map<String, Long> countedAt = new ConcurrentHashMap<>();
  /** Each account's counter, got once: bounded by the accounts. */
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  /** The walk mark this node last saw for each account, and since when: bounded by the accounts. */
  private final Map<String, long[]> marksSeen = new ConcurrentHashMap<>();

  EntryLedger(Vertx vertx, HomeJail jail, long limit) {
    this(vertx, jail, limit, DEAD_WALK_NANOS);
  }

  /** @param deadWalkNanos how long a walk's mark may stand still before it is taken for dead */
  EntryLedger(Vertx vertx, HomeJail jail, long limit, long deadWalkNanos) {
    this.vertx = vertx;
    this.jail = jail;
    this.limit = limit;
    this.deadWalkNanos = deadWalkNanos;
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

    /**
     * The work made an entry it did not claim (an overwrite whose file was removed before the
     * publish): counted now, past the limit if need be, so the count stays true.
     */
    void madeUnclaimed() {
      if (!claimed && ledger != null) {
        ledger.adjust(account, 1);
      }
    }

    private void settle() {
      if (granted && !claimed && ledger != null) {
        ledger.adjust(account, -1);
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
    String account = owner.get();
    return counter(account).compose(counter -> reserve(account, counter, 0, 0, true)).compose(entry -> {
      Future<T> done;
      try {
        done = work.apply(entry);
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      return done.onComplete(ar -> entry.settle());
    });
  }

  /** An entry at {@code virtualPath} was removed. */
  void remove(String virtualPath) {
    VirtualPath.ownerOf(virtualPath).ifPresent(account -> adjust(account, -1));
  }

  /** Forgets the count of {@code account}'s home: it was purged, and is counted anew when next used. */
  Future<Void> forget(String account) {
    countedAt.remove(account);
    return counter(account).compose(counter -> forget(counter, 0));
  }

  private Future<Void> forget(Counter counter, int tries) {
    return counter.get().compose(held -> held == NOT_COUNTED || tries >= MOST_TRIES ? Future.succeededFuture()
      : counter.compareAndSet(held, NOT_COUNTED).compose(done -> done ? Future.succeededFuture() : forget(counter, tries + 1)));
  }

  /**
   * The account's counter. Getting one from Hazelcast makes a blocking call to the cluster, so a
   * counter is got on a worker thread, once per account, and kept.
   */
  private Future<Counter> counter(String account) {
    Counter known = counters.get(account);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.executeBlocking(() -> vertx.sharedData().getCounter(PREFIX + account), false)
      .compose(got -> got)
      .onSuccess(counter -> counters.put(account, counter));
  }

  /**
   * One entry of {@code account}'s home: granted while the count is below the limit, refused at
   * it, after counting the home first when no node has yet, or waiting while another node does.
   * Within the last tenth of the limit, and before a refusal, the home is walked again when
   * {@code mayRecount} and this node has not walked it for a minute.
   */
  private Future<Entry> reserve(String account, Counter counter, int tries, long waitedMs, boolean mayRecount) {
    if (tries >= MOST_TRIES) {
      return Future.failedFuture(Failure.BUSY.exception("the entries of " + account + " change too fast"));
    }
    return counter.get().compose(held -> {
      if (held == NOT_COUNTED) {
        return count(account, counter, held).compose(v -> reserve(account, counter, tries + 1, waitedMs, mayRecount));
      }
      if (held < NOT_COUNTED) {
        long now = System.nanoTime();
        long[] seen = marksSeen.compute(account, (a, old) -> old != null && old[0] == held ? old : new long[] {held, now});
        if (now - seen[1] > deadWalkNanos) {
          // The walk's mark stood still: its node is gone. Count anew, from here.
          marksSeen.remove(account);
          return counter.compareAndSet(held, NOT_COUNTED).compose(v -> reserve(account, counter, tries + 1, waitedMs, mayRecount));
        }
        if (waitedMs >= WAIT_TOTAL_MS) {
          return Future.failedFuture(Failure.BUSY.exception("the entries of " + account + " are being counted"));
        }
        long wait = Math.min(WAIT_MOST_MS, WAIT_FIRST_MS << Math.min(tries, 5));
        return delay(wait).compose(v -> reserve(account, counter, tries + 1, waitedMs + wait, mayRecount));
      }
      boolean stale = mayRecount && countedLongAgo(account);
      if (held - 1 < limit && !(stale && held - 1 >= limit - limit / 10)) {
        return counter.compareAndSet(held, held + 1).compose(mine -> mine
          ? Future.succeededFuture(new Entry(this, account, true))
          : reserve(account, counter, tries + 1, waitedMs, mayRecount));
      }
      if (stale) {
        return count(account, counter, held).compose(v -> reserve(account, counter, tries + 1, waitedMs, false));
      }
      return Future.succeededFuture(new Entry(this, account, false));
    });
  }

  /** Whether this node has not walked the account's home for a minute. */
  private boolean countedLongAgo(String account) {
    Long last = countedAt.get(account);
    return last == null || System.nanoTime() - last > RECOUNT_NANOS;
  }

  /**
   * Walks the home and sets its count, if the counter still stands at {@code seen}: while the
   * walk runs it holds a mark below zero, moved down one every {@link #BEAT_MS} so that waiting
   * nodes see the walk live; it goes back to not counted if the walk fails. Nothing when another
   * node changed the counter first. The beats and the last set run one after the other.
   */
  private Future<Void> count(String account, Counter counter, long seen) {
    return counter.compareAndSet(seen, COUNTING).compose(mine -> {
      if (!mine) {
        return Future.succeededFuture();
      }
      countedAt.put(account, System.nanoTime());
      Walk walk = new Walk(counter);
      long timer = vertx.setPeriodic(BEAT_MS, id -> walk.beat());
      return vertx.executeBlocking(() -> {
        try (JailedPath home = jail.home(account)) {
          return countUpTo(home, limit + 1);
        }
      }, false).transform(walked -> {
        vertx.cancelTimer(timer);
        return walk.end(walked.succeeded() ? walked.result() + 1 : NOT_COUNTED)
          .compose(v -> walked.succeeded() ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(walked.cause()));
      });
    });
  }

  /** A walk's mark in the counter, moved and then replaced by the count one step after another (on one event loop). */
  private static final class Walk {

    private final Counter counter;
    private long mark = COUNTING;
    private Future<?> steps = Future.succeededFuture();

    private Walk(Counter counter) {
      this.counter = counter;
    }

    void beat() {
      steps = steps.transform(v -> counter.compareAndSet(mark, mark - 1).onSuccess(moved -> {
        if (moved) {
          mark--;
        }
      }));
    }

    Future<Boolean> end(long count) {
      Future<Boolean> ended = steps.transform(v -> counter.compareAndSet(mark, count));
      steps = ended;
      return ended;
    }
  }

  /** Moves a counted home's count by {@code delta}; one not counted, or being counted, is left to its walk. */
  private void adjust(String account, long delta) {
    counter(account).compose(counter -> adjust(counter, delta, 0));
  }

  private Future<Void> adjust(Counter counter, long delta, int tries) {
    return counter.get().compose(held -> held <= NOT_COUNTED || tries >= MOST_TRIES ? Future.<Void>succeededFuture()
      : counter.compareAndSet(held, Math.max(1, held + delta))
        .compose(done -> done ? Future.<Void>succeededFuture() : adjust(counter, delta, tries + 1)));
  }

  private Future<Void> delay(long ms) {
    Promise<Void> waited = Promise.promise();
    vertx.setTimer(ms, id -> waited.complete());
    return waited.future();
  }

  /**
   * The entries below {@code home}, links not followed, counted no further than {@code most}.
   * A walk that cannot finish (too deep, out of file handles) fails rather than count less.
   */
  static long countUpTo(JailedPath home, long most) throws IOException {
    BasicFileAttributes attributes = home.ownAttributesIfAny();
    if (attributes == null || !attributes.isDirectory()) {
      return 0;
    }
    try (SecureDirectoryStream<Path> dir = home.openDirectory()) {
      return countIn(dir, 0, most, 1);
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  /** {@code seen} plus the entries below the open directory {@code dir}, stopping at {@code most}. */
  private static long countIn(SecureDirectoryStream<Path> dir, long seen, long most, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("deeper than " + MAX_DEPTH + " directories: not counted");
    }
    for (Path child : dir) {
      if (++seen >= most) {
        return seen;
      }
      Path name = child.getFileName();
      BasicFileAttributes attributes = JailedPath.statOrNull(dir, name);
      if (attributes != null && attributes.isDirectory()) {
        try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
          seen = countIn(sub, seen, most, depth + 1);
        } catch (NoSuchFileException | NotDirectoryException e) {
          // removed, or replaced by a file while we counted: nothing more below it
        } catch (FileSystemException e) {
          if (JailedPath.statOrNull(dir, name) == null || !JailedPath.statOrNull(dir, name).isDirectory()) {
            continue; // replaced by a link (ELOOP) while we counted
          }
          throw e;
        }
        if (seen >= most) {
          return seen;
        }
      }
    }
    return seen;
  }
}
