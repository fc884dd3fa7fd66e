package dev.ferry.quota;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.RequestFields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * {@link QuotaApi#RESERVE}, {@link QuotaApi#RENEW} and {@link QuotaApi#RELEASE}: room for uploads
 * in flight. PROTOCOL.md s6: "if usage plus all reservations would pass the limit it answers
 * {@code NOT_READY*QUOTA_EXCEEDED*<used>*<limit>}. Concurrent uploads of one user, on one gateway
 * or many, can never together pass the limit." Each action is for the admin or the account itself.
 */
final class ReservationActions {

  private final Supplier<QuotaLimits> limits;
  private final PeerServices peers;
  private final AccountLock lock;
  private final Usage usage;
  private final Reservations reservations;
  private final int seconds;

  ReservationActions(Supplier<QuotaLimits> limits, PeerServices peers, AccountLock lock, Usage usage,
                     Reservations reservations, int seconds) {
    this.limits = limits;
    this.peers = peers;
    this.lock = lock;
    this.usage = usage;
    this.reservations = reservations;
    this.seconds = seconds;
  }

  /**
   * {account, bytes, reservation?} -> {granted, reservation, seconds, used, limit}. The check and
   * the put of the new (or grown) reservation happen under the account's lock, so two reserves
   * never both take the last room. {@code used} is usage plus live reservations: before this one
   * when refused (what the client is told it has taken), with it when granted. An unlimited
   * account is always granted, and its reservation is still recorded, so renew and release work
   * the same for everyone.
   */
  Future<JsonObject> reserve(Principal caller, JsonObject body) {
    String account = RequestFields.required(body, QuotaApi.ACCOUNT);
    long bytes = RequestFields.bytes(body, QuotaApi.BYTES);
    String grown = RequestFields.optional(body, QuotaApi.RESERVATION);
    requireMayManage(caller, account);
    // The role (for the limit) is asked, and an account never counted is counted, before the
    // lock is taken: the lock is then held only for the shared-data work, not for round trips to
    // auth-service or a walk of the disk.
    return peers.roleOf(account, caller).compose(role -> usage.current(account, caller).compose(primed -> {
      long limit = limits.get().limitOf(account, role);
      return lock.holding(account, () -> live(account, grown)
        .compose(v -> usage.currentLocked(account, caller))
        .compose(used -> reservations.total(account).map(reserved -> Usage.plus(used, reserved)))
        .compose(taken -> {
          JsonObject reply = new JsonObject().put(QuotaApi.LIMIT, limit);
          if (!QuotaLimits.fits(taken, bytes, limit)) {
            QuotaMetrics.rejected();
            return Future.succeededFuture(reply.put(QuotaApi.GRANTED, false).put(QuotaApi.USED, taken));
          }
          Future<String> recorded = grown == null ? reservations.add(account, bytes)
            : reservations.grow(account, grown, bytes).map(v -> grown);
          return recorded.map(id -> reply
            .put(QuotaApi.GRANTED, true)
            .put(QuotaApi.RESERVATION, id)
            .put(QuotaApi.SECONDS, seconds)
            .put(QuotaApi.USED, Usage.plus(taken, bytes)));
        }));
    }));
  }

  /** Succeeds when there is no reservation to grow or it is live; NOT_FOUND once it is gone. */
  private Future<Void> live(String account, String id) {
    if (id == null) {
      return Future.succeededFuture();
    }
    return reservations.exists(account, id).compose(exists -> exists ? Future.succeededFuture()
      : Future.failedFuture(Failure.NOT_FOUND.exception("no reservation " + id)));
  }

  /** {account, reservation} -> {}: restarts its time to live; NOT_FOUND once it is gone. */
  Future<JsonObject> renew(Principal caller, JsonObject body) {
    requireMayManage(caller, RequestFields.required(body, QuotaApi.ACCOUNT));
    return renew(body);
  }

  /** RENEW from storage-service, which holds the reservations of the uploads it runs. */
  Future<JsonObject> renew(JsonObject body) {
    String account = RequestFields.required(body, QuotaApi.ACCOUNT);
    String id = RequestFields.required(body, QuotaApi.RESERVATION);
    return lock.holding(account, () -> reservations.renew(account, id)).map(renewed -> {
      if (!renewed) {
        throw Failure.NOT_FOUND.exception();
      }
      return new JsonObject();
    });
  }

  /**
   * {account, reservation} -> {}: drops it; an unknown one succeeds. Under the lock only so that
   * a renew in flight (a read then a put) cannot bring it back.
   */
  Future<JsonObject> release(Principal caller, JsonObject body) {
    requireMayManage(caller, RequestFields.required(body, QuotaApi.ACCOUNT));
    return release(body);
  }

  /** RELEASE from storage-service. */
  Future<JsonObject> release(JsonObject body) {
    String account = RequestFields.required(body, QuotaApi.ACCOUNT);
    String id = RequestFields.required(body, QuotaApi.RESERVATION);
    return lock.holding(account, () -> reservations.release(account, id)).map(released -> new JsonObject());
  }

  static void requireMayManage(Principal caller, String account) {
    if (!caller.mayManage(account)) {
      throw Failure.NO_PERMISSION.exception();
    }
  }
}
