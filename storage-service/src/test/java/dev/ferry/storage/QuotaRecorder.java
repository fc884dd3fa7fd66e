package dev.ferry.storage;

import dev.ferry.auth.TestTokens;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.StorageTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Stands at {@link Addresses#QUOTA} in place of quota-service to observe what storage reports and
 * reserves: it answers {} to every {@link QuotaApi#ADJUST} and sums the deltas per account, and
 * keeps reservations as quota-service does (RESERVE, its growth, RENEW, RELEASE) against a limit
 * per account, unlimited unless a test sets one; usage is the sum of the deltas. It checks the
 * shape of each request too (storage's own token for ADJUST, RENEW and RELEASE, a session token
 * of the account or the admin for RESERVE, no zero deltas) and keeps what was wrong in
 * {@link #problems()}. Touched only on the event loop.
 */
final class QuotaRecorder {

  private final Map<String, Long> sums = new HashMap<>();
  private final Map<String, Long> limits = new HashMap<>();
  /** Live reservations: id -> [account, bytes]. */
  private final Map<String, Map.Entry<String, Long>> reservations = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private int adjusts;
  private int reserves;
  private MessageConsumer<JsonObject> consumer;

  /** Takes ADJUST, RENEW and RELEASE only with the token of storage's key pair in {@code data}, as quota-service does. */
  static Future<QuotaRecorder> register(Vertx vertx, Path data) {
    QuotaRecorder recorder = new QuotaRecorder();
    BusService.TokenCheck storageOnly = token -> vertx.executeBlocking(() -> StorageTokens.readPublicKey(data), false)
      .compose(pem -> new StorageTokens.Verifier(vertx, pem).verify(token))
      .onFailure(e -> recorder.problems.add("a service request without storage's token: " + e));
    return new BusService(vertx, Addresses.QUOTA, TestTokens.verifier(vertx))
      .onService(QuotaApi.ADJUST, storageOnly, recorder::adjust)
      .on(QuotaApi.RESERVE, recorder::reserve)
      .onService(QuotaApi.RENEW, storageOnly, recorder::renew)
      .onService(QuotaApi.RELEASE, storageOnly, recorder::release)
      .register()
      .map(registered -> {
        recorder.consumer = registered;
        return recorder;
      });
  }

  private Future<JsonObject> adjust(JsonObject body) {
    String account = body.getString(QuotaApi.ACCOUNT);
    long delta = body.getLong(QuotaApi.DELTA);
    if (delta == 0) {
      problems.add("ADJUST of 0 bytes for " + account);
    }
    adjusts++;
    sums.merge(account, delta, Long::sum);
    return Future.succeededFuture(new JsonObject());
  }

  private Future<JsonObject> reserve(Principal caller, JsonObject body) {
    String account = body.getString(QuotaApi.ACCOUNT);
    long bytes = body.getLong(QuotaApi.BYTES);
    String grown = body.getString(QuotaApi.RESERVATION);
    if (!caller.mayManage(account)) {
      problems.add("RESERVE for " + account + " by " + caller);
    }
    reserves++;
    long limit = limits.getOrDefault(account, 0L);
    long taken = sum(account) + reserved(account);
    JsonObject reply = new JsonObject().put(QuotaApi.LIMIT, limit);
    if (limit > 0 && taken + bytes > limit) {
      return Future.succeededFuture(reply.put(QuotaApi.GRANTED, false).put(QuotaApi.USED, taken));
    }
    String id = grown == null ? UUID.randomUUID().toString() : grown;
    long held = grown == null ? 0 : reservations.get(grown).getValue();
    reservations.put(id, Map.entry(account, held + bytes));
    return Future.succeededFuture(reply.put(QuotaApi.GRANTED, true).put(QuotaApi.RESERVATION, id)
      .put(QuotaApi.SECONDS, 600).put(QuotaApi.USED, taken + bytes));
  }

  private Future<JsonObject> renew(JsonObject body) {
    if (!reservations.containsKey(body.getString(QuotaApi.RESERVATION))) {
      problems.add("RENEW of a reservation not held");
    }
    return Future.succeededFuture(new JsonObject());
  }

  private Future<JsonObject> release(JsonObject body) {
    reservations.remove(body.getString(QuotaApi.RESERVATION));
    return Future.succeededFuture(new JsonObject());
  }

  /** Limits {@code account} to {@code bytes} of usage plus reservations. */
  void limit(String account, long bytes) {
    limits.put(account, bytes);
  }

  /** The sum of the deltas reported for {@code account} so far. */
  long sum(String account) {
    return sums.getOrDefault(account, 0L);
  }

  /** Bytes of {@code account}'s live reservations. */
  long reserved(String account) {
    return reservations.values().stream().filter(r -> r.getKey().equals(account)).mapToLong(Map.Entry::getValue).sum();
  }

  /** How many ADJUST requests arrived. */
  int adjusts() {
    return adjusts;
  }

  /** How many RESERVE requests arrived. */
  int reserves() {
    return reserves;
  }

  List<String> problems() {
    return problems;
  }

  Future<Void> unregister() {
    return consumer.unregister();
  }
}
