package dev.ferry.auth;

import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.TokenKeys;
import dev.ferry.protocol.bus.TokenRevocations;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** One token key pair for the tests of this JVM, made once, and the config entries that carry it. */
final class TestKeys {

  private static final String[] PAIR = TokenKeys.generate();
  static final String PRIVATE = PAIR[0];
  static final String PUBLIC = PAIR[1];

  private TestKeys() {
  }

  /** Both keys, as auth-service's deployment gets them. */
  static JsonObject put(JsonObject config) {
    return config.put(SessionTokens.PUBLIC_KEYS_CONFIG, new JsonArray().add(PUBLIC)).put(TokenSigner.PRIVATE_KEY_CONFIG, PRIVATE);
  }

  /** A verifier of these keys that knows the revocations it is told of only. */
  static SessionTokens verifier(Vertx vertx) {
    return new SessionTokens(vertx, List.of(PUBLIC), TokenRevocations.unshared(vertx, 900));
  }
}
