package dev.ferry.quota;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

import java.util.UUID;

/**
 * The bytes uploads in flight have reserved (PROTOCOL.md s6: "An upload reserves
 * {@code <size> - <offset>} ... before it answers READY"), per account in the cluster-wide async
 * map {@code ferry.quota.reservations.<account>}: reservation id -> bytes, each entry put with a
 * time to live, so the reservation of a storage node that died goes on its own.
 *
 * <p>Callers hold the account's {@link AccountLock} for every method: a renew is a read then a
 * put (Hazelcast's async map cannot restart an entry's time to live in place), and without the
 * lock a release landing between the two would be undone by the put.
 */
final class Reservations {

  static final String PREFIX = "ferry.quota.reservations.";

  private final Vertx vertx;
  private final long ttlMs;

  Reservations(Vertx vertx, int seconds) {
    this.vertx = vertx;
    this.ttlMs = seconds * 1000L;
  }

  private Future<AsyncMap<String, Long>> of(String account) {
    return vertx.sharedData().getAsyncMap(PREFIX + account);
  }

  /** Bytes of the account's live reservations (never overflows: it saturates). */
  Future<Long> total(String account) {
    return of(account).compose(AsyncMap::values).map(values -> {
      long sum = 0;
      for (Long bytes : values) {
        sum = Usage.plus(sum, bytes);
      }
      return sum;
    });
  }

  /** Records a reservation of {@code bytes}; the answer is its new, random id. */
  Future<String> add(String account, long bytes) {
    String id = UUID.randomUUID().toString();
    return of(account).compose(map -> map.put(id, bytes, ttlMs)).map(id);
  }

  /**
   * Grows the reservation by {@code bytes} and restarts its time to live; false when it is gone
   * (expired or released).
   */
  Future<Boolean> grow(String account, String id, long bytes) {
    return of(account).compose(map -> map.get(id).compose(held -> held == null
      ? Future.succeededFuture(false)
      : map.put(id, Usage.plus(held, bytes), ttlMs).map(true)));
  }

  /** Whether the reservation is live. */
  Future<Boolean> exists(String account, String id) {
    return of(account).compose(map -> map.get(id)).map(held -> held != null);
  }

  /** Restarts the reservation's time to live; false when it is gone (expired or released). */
  Future<Boolean> renew(String account, String id) {
    return of(account).compose(map -> map.get(id).compose(bytes -> bytes == null
      ? Future.succeededFuture(false)
      : map.put(id, bytes, ttlMs).map(true)));
  }

  /** Drops the reservation; one that is already gone is no error. */
  Future<Void> release(String account, String id) {
    return of(account).compose(map -> map.remove(id)).mapEmpty();
  }
}
