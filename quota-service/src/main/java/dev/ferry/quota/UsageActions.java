package dev.ferry.quota;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.RequestFields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * {@link QuotaApi#GET}, {@link QuotaApi#ADJUST} and {@link QuotaApi#RECOUNT}: the usage
 * quota-service keeps current ({@link Usage}) and what it is measured against.
 */
final class UsageActions {

  private final Supplier<QuotaLimits> limits;
  private final PeerServices peers;
  private final AccountLock lock;
  private final Usage usage;

  UsageActions(Supplier<QuotaLimits> limits, PeerServices peers, AccountLock lock, Usage usage) {
    this.limits = limits;
    this.peers = peers;
    this.lock = lock;
    this.usage = usage;
  }

  /**
   * {account} -> {account, used, limit} (admin or self). {@code used} is the bytes stored (files
   * and partial uploads, PROTOCOL.md s6), without reservations: what the {@code quota} command
   * shows. An account never counted is counted first.
   */
  Future<JsonObject> get(Principal caller, JsonObject body) {
    String account = RequestFields.required(body, QuotaApi.ACCOUNT);
    ReservationActions.requireMayManage(caller, account);
    return peers.roleOf(account, caller).compose(role -> usage.current(account, caller)
      .map(used -> describe(account, used, limits.get().limitOf(account, role))));
  }

  /**
   * {account, delta} -> {}: storage-service reports a change on disk. Does nothing for an account
   * not counted yet (its first count will see the disk). It carries storage-service's own token
   * (checked before this runs, {@link StorageCaller}), not a session token: an expired partial
   * upload has no caller.
   */
  Future<JsonObject> adjust(JsonObject body) {
    String account = RequestFields.required(body, QuotaApi.ACCOUNT);
    long delta = wholeNumber(body, QuotaApi.DELTA);
    return lock.holding(account, () -> usage.adjustLocked(account, delta)).map(adjusted -> new JsonObject());
  }

  /** {account} -> {account, used, limit} (admin): usage set from a fresh count of the disk. */
  Future<JsonObject> recount(Principal caller, JsonObject body) {
    String account = RequestFields.required(body, QuotaApi.ACCOUNT);
    if (!caller.isAdmin()) {
      throw Failure.NO_PERMISSION.exception();
    }
    return peers.roleOf(account, caller).compose(role -> lock.holding(account, () -> usage.recountLocked(account, caller))
      .map(used -> describe(account, used, limits.get().limitOf(account, role))));
  }

  private static JsonObject describe(String account, long used, long limit) {
    return new JsonObject().put(QuotaApi.ACCOUNT, account).put(QuotaApi.USED, used).put(QuotaApi.LIMIT, limit);
  }

  /** A whole number, negative allowed (RequestFields.bytes refuses those). */
  private static long wholeNumber(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw Failure.BAD_REQUEST.exception(field + " must be a whole number");
  }
}
