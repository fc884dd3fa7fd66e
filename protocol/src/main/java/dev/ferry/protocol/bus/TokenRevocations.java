package dev.ferry.protocol.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which accounts' session tokens are void: "account X: every token issued up to millisecond T".
 * auth-service records a revocation in cluster-wide shared data (an entry lives as long as a
 * token, after which every token it voids has expired anyway) and publishes it at
 * {@link Addresses#TOKEN_REVOCATIONS}; each process keeps a local copy, loaded at start and kept
 * current by those publications, so a verify never waits on the cluster.
 */
public final class TokenRevocations {

  private static final System.Logger LOG = System.getLogger(TokenRevocations.class.getName());
  static final String MAP = "ferry.token-revocations";
  static final String ACCOUNT = "account";
  static final String UP_TO = "upTo";

  private final Vertx vertx;
  private final long ttlMillis;
  /** Account to the issue time (ms) up to which its tokens are void; entries older than a token's lifetime are dropped. */
  private final Map<String, Long> revoked = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;

  private TokenRevocations(Vertx vertx, int ttlSeconds) {
    this.vertx = vertx;
    this.ttlMillis = ttlSeconds * 1000L;
  }

  /** Listens for revocations, then loads those recorded before; {@code ttlSeconds} is the tokens' lifetime. */
  public static Future<TokenRevocations> start(Vertx vertx, int ttlSeconds) {
    TokenRevocations revocations = new TokenRevocations(vertx, ttlSeconds);
    revocations.consumer = vertx.eventBus().consumer(Addresses.TOKEN_REVOCATIONS, message -> {
      JsonObject body = message.body();
      if (body != null && body.getString(ACCOUNT) != null && body.getLong(UP_TO) != null) {
        revocations.record(body.getString(ACCOUNT), body.getLong(UP_TO));
      }
    });
    return revocations.consumer.completion()
      .compose(v -> revocations.map())
      .compose(AsyncMap::entries)
      .map(entries -> {
        entries.forEach(revocations::record);
        return revocations;
      });
  }

  /**
   * A view that does not listen on the bus and knows only what it records itself: for a signer
   * or verifier used off the cluster (tools, tests).
   */
  public static TokenRevocations unshared(Vertx vertx, int ttlSeconds) {
    return new TokenRevocations(vertx, ttlSeconds);
  }

  /** Whether a token of {@code account} issued at {@code issuedMillis} is void. */
  public boolean voids(String account, long issuedMillis) {
    Long upTo = revoked.get(account);
    return upTo != null && issuedMillis <= upTo;
  }

  /** The time up to which {@code account}'s tokens are void, or -1. */
  public long revokedUpTo(String account) {
    return revoked.getOrDefault(account, -1L);
  }

  /**
   * Voids every token of {@code account} issued up to now, here at once and in every process
   * within moments. Answers the revocation's time.
   */
  public Future<Long> revoke(String account) {
    long upTo = Math.max(System.currentTimeMillis(), revokedUpTo(account));
    record(account, upTo);
    // Published even when the shared map failed: the processes running now still hear of it.
    return map()
      .compose(map -> map.put(account, upTo, ttlMillis))
      .recover(error -> {
        LOG.log(System.Logger.Level.ERROR, "could not record the revocation of " + account + "'s tokens in shared data", error);
        return Future.succeededFuture();
      })
      .map(v -> {
        vertx.eventBus().publish(Addresses.TOKEN_REVOCATIONS, new JsonObject().put(ACCOUNT, account).put(UP_TO, upTo));
        return upTo;
      });
  }

  public Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private Future<AsyncMap<String, Long>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  private void record(String account, Long upTo) {
    if (account == null || upTo == null) {
      return;
    }
    revoked.merge(account, upTo, Math::max);
    long expired = System.currentTimeMillis() - ttlMillis;
    revoked.values().removeIf(t -> t < expired);
  }
}
