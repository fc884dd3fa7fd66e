package dev.ferry.gateway.transfer;

import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.QuotaApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The quota an upload holds while it runs (PROTOCOL.md s6: "upload reserves <size> - <offset>
 * before it answers READY, an overwrite too"). It is renewed every third
 * of its lifetime while the upload lives, so one whose gateway died expires on its own, and
 * released once the upload is over: after storage answered the handle's finish or close, by
 * when storage has turned the bytes it stored into usage.
 */
public final class QuotaReservation {

  private static final System.Logger LOG = System.getLogger(QuotaReservation.class.getName());
  /** For uploads no quota limits: files the admin keeps outside every home. */
  public static final QuotaReservation NONE = new QuotaReservation(null, null, null, null, null, 0);

  private final Vertx vertx;
  private final BusClient quota;
  private final Supplier<String> token;
  private final String account;
  private final String id;
  private final long bytes;
  private long renewTimer = -1;
  private boolean released;

  private QuotaReservation(Vertx vertx, BusClient quota, Supplier<String> token, String account, String id, long bytes) {
    this.vertx = vertx;
    this.quota = quota;
    this.token = token;
    this.account = account;
    this.id = id;
    this.bytes = bytes;
  }

  /** What quota-service answered a reserve request: the reservation, or used and limit to report. */
  public record Outcome(QuotaReservation reservation, long used, long limit) {
    public boolean granted() {
      return reservation != null;
    }
  }

  /**
   * Asks quota-service for {@code bytes} of {@code account}'s quota; a granted reservation starts
   * renewing itself at once.
   */
  public static Future<Outcome> reserve(Vertx vertx, BusClient quota, Supplier<String> token, String account, long bytes) {
    JsonObject request = new JsonObject().put(QuotaApi.ACCOUNT, account).put(QuotaApi.BYTES, bytes);
    return quota.request(QuotaApi.RESERVE, token.get(), request).map(reply -> {
      long used = reply.getLong(QuotaApi.USED, 0L);
      long limit = reply.getLong(QuotaApi.LIMIT, 0L);
      String id = reply.getString(QuotaApi.RESERVATION);
      if (!reply.getBoolean(QuotaApi.GRANTED, false)) {
        return new Outcome(null, used, limit);
      }
      if (id == null || id.isEmpty()) {
        throw new IllegalStateException("quota granted a reservation without an id");
      }
      QuotaReservation reservation = new QuotaReservation(vertx, quota, token, account, id, bytes);
      reservation.renewEvery(TimeUnit.SECONDS.toMillis(reply.getLong(QuotaApi.SECONDS, 60L)) / 3);
      return new Outcome(reservation, used, limit);
    });
  }

  /** The bytes storage may add for this upload beyond what it replaces; empty when no quota applies. */
  public OptionalLong bytes() {
    return id == null ? OptionalLong.empty() : OptionalLong.of(bytes);
  }

  private void renewEvery(long millis) {
    renewTimer = vertx.setPeriodic(Math.max(millis, 100), t -> quota.request(QuotaApi.RENEW, token.get(), request())
      .onFailure(e -> LOG.log(Level.WARNING, "renewing the quota reservation of '" + account + "' failed", e)));
  }

  /** Gives the reservation back; once only, never fails (an unanswered release expires anyway). */
  public Future<Void> release() {
    if (id == null || released) {
      return Future.succeededFuture();
    }
    released = true;
    vertx.cancelTimer(renewTimer);
    return quota.request(QuotaApi.RELEASE, token.get(), request()).<Void>mapEmpty().recover(e -> {
      LOG.log(Level.WARNING, "releasing the quota reservation of '" + account + "' failed; it will expire", e);
      return Future.succeededFuture();
    });
  }

  private JsonObject request() {
    return new JsonObject().put(QuotaApi.ACCOUNT, account).put(QuotaApi.RESERVATION, id);
  }
}
