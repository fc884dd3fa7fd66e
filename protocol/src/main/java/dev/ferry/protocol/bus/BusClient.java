package dev.ferry.protocol.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** The caller side: a request to one Ferry address with an action and, usually, a session token. */
public final class BusClient {

  /** Default time a caller waits for a service reply. */
  public static final long DEFAULT_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final String address;
  private final long timeoutMs;

  public BusClient(Vertx vertx, String address) {
    this(vertx, address, DEFAULT_TIMEOUT_MS);
  }

  public BusClient(Vertx vertx, String address, long timeoutMs) {
    this.vertx = vertx;
    this.address = address;
    this.timeoutMs = timeoutMs;
  }

  public Future<JsonObject> request(String action, String token, JsonObject body) {
    return request(action, token, body, timeoutMs);
  }

  /** A request that waits at most {@code timeoutMs} for its reply, failing with a TIMEOUT ReplyException after. */
  public Future<JsonObject> request(String action, String token, JsonObject body, long timeoutMs) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs).addHeader(BusService.ACTION_HEADER, action);
    if (token != null) {
      options.addHeader(BusService.TOKEN_HEADER, token);
    }
    return vertx.eventBus().<JsonObject>request(address, body, options).map(Message::body);
  }
}
