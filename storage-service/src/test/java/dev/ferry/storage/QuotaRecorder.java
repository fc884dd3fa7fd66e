package dev.ferry.storage;

import dev.ferry.auth.TestTokens;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.SessionTokens;
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

/**
 * Stands at {@link Addresses#QUOTA} in place of quota-service to observe what storage reports: it
 * answers {} to every {@link QuotaApi#ADJUST} and sums the deltas per account. It checks the
 * shape of each request too (storage's own token, no zero deltas) and keeps what was wrong in {@link #problems()}. Touched only on the event loop.
 */
final class QuotaRecorder {

  private final Map<String, Long> sums = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private int adjusts;
  private MessageConsumer<JsonObject> consumer;

  /** Takes ADJUST only with the token of storage's key pair in {@code data}, as quota-service does. */
  static Future<QuotaRecorder> register(Vertx vertx, Path data) {
    QuotaRecorder recorder = new QuotaRecorder();
    BusService.TokenCheck storageOnly = token -> vertx.executeBlocking(() -> StorageTokens.readPublicKey(data), false)
      .compose(pem -> new StorageTokens.Verifier(vertx, pem).verify(token))
      .onFailure(e -> recorder.problems.add("ADJUST without storage's token: " + e));
    return new BusService(vertx, Addresses.QUOTA, TestTokens.verifier(vertx))
      .onService(QuotaApi.ADJUST, storageOnly, recorder::adjust)
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

  /** The sum of the deltas reported for {@code account} so far. */
  long sum(String account) {
    return sums.getOrDefault(account, 0L);
  }

  /** How many ADJUST requests arrived. */
  int adjusts() {
    return adjusts;
  }

  List<String> problems() {
    return problems;
  }

  Future<Void> unregister() {
    return consumer.unregister();
  }
}
