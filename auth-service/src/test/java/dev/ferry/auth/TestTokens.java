package dev.ferry.auth;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.TokenKeys;
import dev.ferry.protocol.bus.TokenRevocations;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One token key pair for the tests of this JVM, made once, and tokens signed by auth-service's own
 * signer: the test kit of auth, storage and quota (a test-jar).
 */
public final class TestTokens {

  private static final String[] PAIR = TokenKeys.generate();
  public static final String PRIVATE = PAIR[0];
  public static final String PUBLIC = PAIR[1];

  private TestTokens() {
  }

  /** The public key a service verifies with (and, for auth-service, the private one it signs with). */
  public static JsonObject put(JsonObject config) {
    return config.put(SessionTokens.PUBLIC_KEYS_CONFIG, new JsonArray().add(PUBLIC)).put(TokenSigner.PRIVATE_KEY_CONFIG, PRIVATE);
  }

  public static String issue(Vertx vertx, String account, Role role) {
    return signer(vertx, PRIVATE, PUBLIC).issue(new Principal(account, role));
  }

  /** A token signed with a key pair of its own: valid in form, from no key the services know. */
  public static String forged(Vertx vertx, String account, Role role) {
    String[] other = TokenKeys.generate();
    return signer(vertx, other[0], other[1]).issue(new Principal(account, role));
  }

  /** A verifier of the test key that knows no revocation. */
  public static SessionTokens verifier(Vertx vertx) {
    return new SessionTokens(vertx, List.of(PUBLIC), TokenRevocations.unshared(vertx, 900));
  }

  private static TokenSigner signer(Vertx vertx, String privatePem, String publicPem) {
    return new TokenSigner(vertx, privatePem, List.of(publicPem), 300, TokenRevocations.unshared(vertx, 900));
  }
}
