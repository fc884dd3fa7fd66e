package dev.ferry.quota;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.shareddata.AsyncMap;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The lock {@code ferry.quota.<account>}: one holder at a time per account across the cluster,
 * whichever quota-service instance asks. Reserve, renew, release, adjust, recount and forget of an
 * account all hold it, so the check "usage plus live reservations plus the new bytes stays within
 * the limit" and the put of the new reservation happen as one step: PROTOCOL.md s6, "Concurrent
 * uploads of one user, on one gateway or many, can never together pass the limit."
 *
 * <p>Why not {@code sharedData().getLockWithTimeout}: on Hazelcast (vertx-hazelcast 5.0.7) it is
 * an {@code IMap} key lock, which Hazelcast lets the thread that holds it take again, and Vert.x
 * takes it on whichever worker thread is free, so two requests of one instance can both "hold" it
 * (seen: 21 holders at once of one lock on one node). So the lock is two parts:
 * <ul>
 *   <li>a Vert.x local lock queues the requests of this instance (no thread is held while
 *       waiting, and only one request per account goes on to the cluster);</li>
 *   <li>a lease in the cluster-wide async map {@code ferry.quota.locks}: key
 *       {@code ferry.quota.<account>}, value the holder's random id, taken with
 *       {@code putIfAbsent} (atomic on the entry's owner), retried with a short back-off while
 *       another instance has it, renewed while held, removed on release. Its time to live frees
 *       the lock of an instance that died holding it.</li>
 * </ul>
 */
final class AccountLock {

  static final String LEASES = "ferry.quota.locks";
  static final String PREFIX = "ferry.quota.";
  /** A request waits this long for the lock, then fails (as INTERNAL, logged by the bus service). */
  static final long TIMEOUT_MS = 10_000;
  /** How long a lease outlives an instance that died holding it; renewed every third of it. */
  static final long LEASE_MS = 30_000;
  private static final long FIRST_RETRY_MS = 2;
  private static final long LAST_RETRY_MS = 50;

  private final Vertx vertx;

  AccountLock(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Runs {@code work} while holding the account's lock, and releases it when the work's future
   * ends, on every path: success, failure, or {@code work} throwing (a guard's typed failure
   * passes through unchanged).
   */
  <T> Future<T> holding(String account, Supplier<Future<T>> work) {
    String name = PREFIX + account;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    return vertx.sharedData().getLocalLockWithTimeout(name, TIMEOUT_MS).compose(local ->
      vertx.sharedData().<String, String>getAsyncMap(LEASES)
        .compose(leases -> leased(leases, name, deadline, work))
        .andThen(ended -> local.release()));
  }

  private <T> Future<T> leased(AsyncMap<String, String> leases, String name, long deadline, Supplier<Future<T>> work) {
    String holder = UUID.randomUUID().toString();
    return acquire(leases, name, holder, deadline, FIRST_RETRY_MS).compose(acquired -> {
      long renewal = vertx.setPeriodic(LEASE_MS / 3, id -> leases.get(name)
        .compose(current -> holder.equals(current) ? leases.put(name, holder, LEASE_MS) : Future.succeededFuture()));
      Future<T> done;
      try {
        done = work.get();
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      // The lease goes before the work's outcome is handed on, so the next holder finds it free.
      return done.transform(outcome -> {
        vertx.cancelTimer(renewal);
        return leases.removeIfPresent(name, holder).transform(removed -> (Future<T>) outcome);
      });
    });
  }

  private Future<Void> acquire(AsyncMap<String, String> leases, String name, String holder, long deadline, long retryMs) {
    return leases.putIfAbsent(name, holder, LEASE_MS).compose(other -> {
      if (other == null) {
        return Future.succeededFuture();
      }
      if (System.nanoTime() - deadline >= 0) {
        return Future.failedFuture(new VertxException("timed out waiting for the lock " + name));
      }
      return vertx.timer(retryMs).compose(v -> acquire(leases, name, holder, deadline, Math.min(retryMs * 2, LAST_RETRY_MS)));
    });
  }
}
