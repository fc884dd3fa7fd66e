package dev.ferry.protocol.bus;

import dev.ferry.protocol.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * Signed session tokens (HS256 JWT): auth-service issues one at login, the gateway sends it in
 * the {@link BusService#TOKEN_HEADER} header of every request, and each service derives the
 * caller's {@link Principal} from it, never from anything else the gateway says.
 */
public final class SessionTokens {

  private static final String ROLE_CLAIM = "role";
  private final JWTAuth jwt;
  private final int ttlSeconds;

  public SessionTokens(Vertx vertx, String secret, int ttlSeconds) {
    if (secret == null || secret.length() < 32) {
      throw new IllegalArgumentException("the token secret must have at least 32 characters");
    }
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    this.ttlSeconds = ttlSeconds;
  }

  /** Builds the token service from a service's config ({@code tokenSecret}, {@code tokenTtlSeconds}). */
  public static SessionTokens fromConfig(Vertx vertx, JsonObject config) {
    return new SessionTokens(vertx, config.getString("tokenSecret"), config.getInteger("tokenTtlSeconds", 900));
  }

  public int ttlSeconds() {
    return ttlSeconds;
  }

  public String issue(Principal principal) {
    return jwt.generateToken(new JsonObject().put(ROLE_CLAIM, principal.role().wire()),
      new JWTOptions().setAlgorithm("HS256").setSubject(principal.account()).setExpiresInSeconds(ttlSeconds));
  }

  /** The principal of a valid token; fails with {@link Failure#UNAUTHENTICATED} otherwise. */
  public Future<Principal> verify(String token) {
    if (token == null || token.isEmpty()) {
      return Future.failedFuture(Failure.UNAUTHENTICATED.exception());
    }
    return jwt.authenticate(new TokenCredentials(token))
      .transform(ar -> {
        if (ar.failed()) {
          return Future.failedFuture(Failure.UNAUTHENTICATED.exception());
        }
        JsonObject claims = ar.result().principal();
        String account = claims.getString("sub");
        Role role = Role.parse(claims.getString(ROLE_CLAIM)).orElse(null);
        if (account == null || role == null) {
          return Future.failedFuture(Failure.UNAUTHENTICATED.exception());
        }
        return Future.succeededFuture(new Principal(account, role));
      });
  }
}
