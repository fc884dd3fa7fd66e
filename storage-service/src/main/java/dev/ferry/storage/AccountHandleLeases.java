package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

import java.util.UUID;

/**
 * The open transfer handles of each account across the cluster, so that
 * {@code maxHandlesPerAccount} bounds an account on all storage nodes together (every node serves
 * every home from the one shared volume, so a bound per node would multiply by the nodes). Each
 * open handle holds a lease in the cluster-wide async map {@code ferry.storage.handles.<account>}:
 * lease id -> the node's address, put with a time to live that the node renews while the handle
 * is open, removed when it ends. The handles of a node that died stop counting once their leases
 * run out.
 *
 * <p>A lease is taken by putting it, then counting the account's leases: one too many, and it is
 * removed again and the open answers BUSY. Two nodes taking the last lease at once may both see
 * one too many and both refuse; neither can take the account past the bound, and no lock is held
 * across the cluster.
 */
final class AccountHandleLeases {

  static final String PREFIX = "ferry.storage.handles.";
  private static final System.Logger LOG = System.getLogger(AccountHandleLeases.class.getName());

  /** One open handle's claim on its account's share. */
  record Lease(String account, String id) {
  }

  private final Vertx vertx;
  private final String node;
  private final int perAccount;
  private final long ttlMs;

  /**
   * @param node       this node's address, kept as each lease's value (who holds it)
   * @param perAccount the most handles one account holds across the cluster
   * @param ttlSeconds how long a lease lasts unless renewed
   */
  AccountHandleLeases(Vertx vertx, String node, int perAccount, int ttlSeconds) {
    this.vertx = vertx;
    this.node = node;
    this.perAccount = perAccount;
    this.ttlMs = ttlSeconds * 1000L;
  }

  /** How often a node renews the leases of its open handles: three times per lease. */
  long renewEveryMs() {
    return Math.max(100, ttlMs / 3);
  }

  private Future<AsyncMap<String, String>> of(String account) {
    return vertx.sharedData().getAsyncMap(PREFIX + account);
  }

  /** A new lease of {@code account}, or BUSY when the account holds its most handles already. */
  Future<Lease> take(String account) {
    Lease lease = new Lease(account, UUID.randomUUID().toString());
    return of(account).compose(map -> map.put(lease.id(), node, ttlMs)
      .compose(v -> map.size())
      .compose(held -> held <= perAccount
        ? Future.succeededFuture(lease)
        : map.remove(lease.id()).transform(removed -> Future.failedFuture(
          Failure.BUSY.exception(account + " holds " + perAccount + " open handles in the cluster")))));
  }

  /** Restarts the lease's time to live. */
  Future<Void> renew(Lease lease) {
    return of(lease.account()).compose(map -> map.put(lease.id(), node, ttlMs));
  }

  /** Drops the lease: its handle ended. A failure is logged; the lease then runs out on its own. */
  void release(Lease lease) {
    of(lease.account()).compose(map -> map.remove(lease.id()))
      .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "cannot drop handle lease of " + lease.account()
        + " (it expires on its own): " + e));
  }
}
