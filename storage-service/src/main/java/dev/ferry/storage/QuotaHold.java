package dev.ferry.storage;

import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.QuotaRefusal;
import dev.ferry.protocol.bus.StorageTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * The quota reservation an upload handle holds while it lives (TransferApi, "Quota"): reserved at
 * quota-service for the owner of the target with the token of whoever writes (quota-service asks
 * auth and storage on that caller's behalf), grown as an upload of unknown size needs room,
 * renewed every third of its lifetime with storage's own token, and released once the handle
 * has ended and its change on disk is reported. Only touched on the node's event loop.
 */
final class QuotaHold {

  private static final System.Logger LOG = System.getLogger(QuotaHold.class.getName());
  /** For uploads no quota limits: files the admin keeps outside every home. */
  static final QuotaHold NONE = new QuotaHold(null, null, null, null);

  private final Vertx vertx;
  private final BusClient quota;
  private final StorageTokens.Signer signer;
  private final String account;
  private String id;
  private long bytes;
  private long renewTimer = -1;
  private boolean released;
  private boolean releaseSent;

  /** Makes the holds of one storage node: quota-service at {@code quota}, storage's own tokens from {@code signer}. */
  record Source(Vertx vertx, BusClient quota, StorageTokens.Signer signer) {

    /** A hold, empty yet, on the quota of the owner of {@code virtualPath}; {@link #NONE} when no one owns it. */
    QuotaHold of(String virtualPath) {
      return VirtualPath.ownerOf(virtualPath).map(owner -> new QuotaHold(vertx, quota, signer, owner)).orElse(NONE);
    }
  }

  private QuotaHold(Vertx vertx, BusClient quota, StorageTokens.Signer signer, String account) {
    this.vertx = vertx;
    this.quota = quota;
    this.signer = signer;
    this.account = account;
  }

  /** Whether a quota applies at all; without one every reserve succeeds. */
  boolean limited() {
    return account != null;
  }

  /** Bytes reserved so far. */
  long bytes() {
    return bytes;
  }

  /**
   * Reserves {@code more} bytes on top of what is held, as {@code token}'s caller; fails
   * QUOTA_EXCEEDED with a {@link QuotaRefusal} when they do not fit, holding what it held.
   */
  Future<Void> reserve(String token, long more) {
    if (!limited()) {
      return Future.succeededFuture();
    }
    if (released) {
      return Future.failedFuture(Failure.NO_SUCH_HANDLE.exception("the upload ended"));
    }
    JsonObject request = new JsonObject().put(QuotaApi.ACCOUNT, account).put(QuotaApi.BYTES, more);
    if (id != null) {
      request.put(QuotaApi.RESERVATION, id);
    }
    return quota.request(QuotaApi.RESERVE, token, request).recover(error -> {
      // No quota-service to ask: the upload is refused, never let through unlimited.
      Failure failure = Failure.of(error);
      if (failure == Failure.INTERNAL) {
        LOG.log(Level.WARNING, "quota-service did not answer a reserve for '" + account + "'", error);
      }
      return Future.failedFuture(failure.exception());
    }).compose(reply -> {
      if (!reply.getBoolean(QuotaApi.GRANTED, false)) {
        return Future.failedFuture(new QuotaRefusal(reply.getLong(QuotaApi.USED, 0L), reply.getLong(QuotaApi.LIMIT, 0L)).exception());
      }
      String granted = reply.getString(QuotaApi.RESERVATION);
      if (granted == null || granted.isEmpty()) {
        return Future.failedFuture(new IllegalStateException("quota granted a reservation without an id"));
      }
      bytes += more;
      if (id == null) {
        id = granted;
        if (released) {
          release(); // the handle ended while the first reserve was on its way
        } else {
          long every = TimeUnit.SECONDS.toMillis(reply.getLong(QuotaApi.SECONDS, 60L)) / 3;
          renewTimer = vertx.setPeriodic(Math.max(every, 100), t -> renew());
        }
      }
      return Future.succeededFuture();
    });
  }

  private void renew() {
    quota.request(QuotaApi.RENEW, signer.token(), request())
      .onFailure(e -> LOG.log(Level.WARNING, "renewing the quota reservation of '" + account + "' failed", e));
  }

  /** Gives the reservation back; once only, never fails (an unanswered release expires anyway). */
  Future<Void> release() {
    if (!limited()) {
      return Future.succeededFuture();
    }
    released = true;
    if (id == null || releaseSent) {
      return Future.succeededFuture();
    }
    releaseSent = true;
    vertx.cancelTimer(renewTimer);
    return quota.request(QuotaApi.RELEASE, signer.token(), request()).<Void>mapEmpty().recover(e -> {
      LOG.log(Level.WARNING, "releasing the quota reservation of '" + account + "' failed; it will expire", e);
      return Future.succeededFuture();
    });
  }

  private JsonObject request() {
    return new JsonObject().put(QuotaApi.ACCOUNT, account).put(QuotaApi.RESERVATION, id);
  }
}
