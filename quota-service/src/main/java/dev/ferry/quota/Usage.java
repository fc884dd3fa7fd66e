package dev.ferry.quota;

import dev.ferry.protocol.bus.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

/**
 * Bytes each account stores (PROTOCOL.md s6: "Usage is the bytes of the user's files and partial
 * uploads"), in the cluster-wide async map {@code ferry.quota.used}: account -> bytes. An account
 * with no entry has not been counted yet: its first need counts it from the disk through
 * storage-service, and from then on every change on disk is applied as a delta (QuotaApi ADJUST),
 * so the number stays current without walking the home again.
 *
 * <p>Methods named {@code ...Locked} expect the caller to hold the account's {@link AccountLock}.
 */
final class Usage {

  static final String MAP = "ferry.quota.used";
  private static final System.Logger LOG = System.getLogger(Usage.class.getName());

  private final Vertx vertx;
  private final PeerServices peers;

  Usage(Vertx vertx, PeerServices peers) {
    this.vertx = vertx;
    this.peers = peers;
  }

  private Future<AsyncMap<String, Long>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  /**
   * The account's usage, counted first if it never was. The first count walks the home without
   * the account's lock, and its result goes in only if no other count got there first: on a
   * clustered Vert.x every request waiting for a lock holds a worker thread, and a walk done
   * while many waited could leave storage-service no worker to walk with.
   */
  Future<Long> current(String account, Principal caller) {
    return map().compose(map -> map.get(account).compose(used -> used != null
      ? Future.succeededFuture(used)
      : peers.diskUsage(account, caller).compose(counted -> map.putIfAbsent(account, counted)
        .map(earlier -> earlier != null ? earlier : counted))));
  }

  /**
   * As {@link #current}, for a caller that holds the lock and needs the number to stay put: an
   * account still not counted (forgotten, or dropped for drift, since the caller looked) is
   * counted under the lock.
   */
  Future<Long> currentLocked(String account, Principal caller) {
    return map().compose(map -> map.get(account)).compose(used -> used != null
      ? Future.succeededFuture(used)
      : recountLocked(account, caller));
  }

  /** Sets the usage from a fresh count of the disk, whatever it was. */
  Future<Long> recountLocked(String account, Principal caller) {
    return peers.diskUsage(account, caller)
      .compose(counted -> map().compose(map -> map.put(account, counted)).map(counted))
      .onSuccess(counted -> LOG.log(System.Logger.Level.DEBUG, "counted " + account + ": " + counted + " bytes"));
  }

  /**
   * Changes a counted usage by {@code delta}; an account not counted yet is left alone, as its
   * first count will see the disk. A usage that would go below zero means the number had drifted
   * from the disk: the entry is dropped, so the next need counts the disk again.
   */
  Future<Void> adjustLocked(String account, long delta) {
    return map().compose(map -> map.get(account).compose(used -> {
      if (used == null) {
        return Future.succeededFuture();
      }
      long next = plus(used, delta);
      if (next < 0) {
        LOG.log(System.Logger.Level.WARNING, "usage of " + account + " would go below zero (" + used + " + " + delta
          + "): it will be counted again from the disk");
        return map.remove(account).mapEmpty();
      }
      return map.put(account, next);
    }));
  }

  /** Forgets the account's usage (on userdel): a later account of that name is counted afresh. */
  Future<Void> forgetLocked(String account) {
    return map().compose(map -> map.remove(account)).mapEmpty();
  }

  /** {@code a + b}, held at the ends of the long range instead of wrapping round. */
  static long plus(long a, long b) {
    long sum = a + b;
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return sum;
  }
}
