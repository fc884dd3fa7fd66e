package dev.ferry.protocol.bus;

import dev.ferry.protocol.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Verifies session tokens (ES256 JWT): auth-service alone signs them with its private key, the
 * gateway sends one in the {@link BusService#TOKEN_HEADER} header of every request, and each
 * service derives the caller's {@link Principal} from it, never from anything else the gateway
 * says. This class holds public keys only, so nothing that uses it can mint a token. Any of the
 * configured keys verifies (two during a rotation; the token's {@code kid} header names its key),
 * and a token of an account whose tokens were revoked after it was issued is refused.
 *
 * <p>An ES256 verify costs milliseconds of CPU on the event loop, and a session sends the same
 * token with every request, so a token whose signature verified is remembered (by its exact
 * text, up to {@link #REMEMBERED} of them) until it expires; revocation is still checked on
 * every use.
 *
 * <p>Claims: {@code sub} the account, {@link #ROLE_CLAIM} its role, {@link #ISSUED_MILLIS_CLAIM}
 * the issue time in milliseconds (finer than {@code iat}, so a revocation and a new token in the
 * same second are told apart), {@code exp}.
 */
public final class SessionTokens {

  public static final String ALGORITHM = "ES256";
  public static final String ROLE_CLAIM = "role";
  public static final String ISSUED_MILLIS_CLAIM = "ims";
  /** Config key: the PEM texts of the public keys that verify tokens (a JSON array of strings). */
  public static final String PUBLIC_KEYS_CONFIG = "tokenPublicKeys";

  /** How many verified tokens are remembered at most. */
  static final int REMEMBERED = 10_000;

  /** What a verified token says. */
  record Verified(Principal principal, long issuedMillis, long expiresMillis) {
  }

  private final JWTAuth jwt;
  private final TokenRevocations revocations;
  private final LongSupplier clock;
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  public SessionTokens(Vertx vertx, List<String> publicKeyPems, TokenRevocations revocations) {
    this(vertx, publicKeyPems, revocations, System::currentTimeMillis);
  }

  SessionTokens(Vertx vertx, List<String> publicKeyPems, TokenRevocations revocations, LongSupplier clock) {
    if (publicKeyPems == null || publicKeyPems.isEmpty()) {
      throw new IllegalArgumentException("no public key to verify session tokens with");
    }
    JWTAuthOptions options = new JWTAuthOptions();
    for (String pem : publicKeyPems) {
      if (!TokenKeys.isEcPublicKey(pem)) {
        throw new IllegalArgumentException("a token public key must be an EC P-256 key in PEM (BEGIN PUBLIC KEY)");
      }
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setId(TokenKeys.kid(pem)).setBuffer(pem));
    }
    this.jwt = JWTAuth.create(vertx, options);
    this.revocations = revocations;
    this.clock = clock;
  }

  /** The verifier of a service's config ({@link #PUBLIC_KEYS_CONFIG}). */
  public static SessionTokens fromConfig(Vertx vertx, JsonObject config, TokenRevocations revocations) {
    JsonArray keys = config.getJsonArray(PUBLIC_KEYS_CONFIG);
    if (keys == null) {
      throw new IllegalArgumentException(PUBLIC_KEYS_CONFIG + " is missing: no public key to verify session tokens with");
    }
    return new SessionTokens(vertx, keys.stream().map(String::valueOf).toList(), revocations);
  }

  /** The tokens' lifetime in a service's config ({@code tokenTtlSeconds}). */
  public static int ttlSeconds(JsonObject config) {
    return config.getInteger("tokenTtlSeconds", 900);
  }

  /** The principal of a valid token; fails with {@link Failure#UNAUTHENTICATED} otherwise. */
  public Future<Principal> verify(String token) {
    if (token == null || token.isEmpty()) {
      return Future.failedFuture(Failure.UNAUTHENTICATED.exception());
    }
    Verified known = verified.get(token);
    if (known != null) {
      return accept(token, known);
    }
    return jwt.authenticate(new TokenCredentials(token))
      .transform(ar -> {
        if (ar.failed()) {
          return Future.failedFuture(Failure.UNAUTHENTICATED.exception());
        }
        JsonObject claims = ar.result().principal();
        String account = claims.getString("sub");
        Role role = Role.parse(claims.getString(ROLE_CLAIM)).orElse(null);
        Object issued = claims.getValue(ISSUED_MILLIS_CLAIM);
        Object expires = ar.result().attributes().getValue("exp");
        if (account == null || role == null || !(issued instanceof Number millis) || !(expires instanceof Number seconds)) {
          return Future.failedFuture(Failure.UNAUTHENTICATED.exception());
        }
        Verified fresh = new Verified(new Principal(account, role, token), millis.longValue(), seconds.longValue() * 1000);
        remember(token, fresh);
        return accept(token, fresh);
      });
  }

  private Future<Principal> accept(String token, Verified known) {
    if (clock.getAsLong() >= known.expiresMillis()) {
      verified.remove(token);
      return Future.failedFuture(Failure.UNAUTHENTICATED.exception());
    }
    if (revocations.voids(known.principal().account(), known.issuedMillis())) {
      return Future.failedFuture(Failure.UNAUTHENTICATED.exception());
    }
    return Future.succeededFuture(known.principal());
  }

  /** Keeps at most {@link #REMEMBERED} tokens: when full, the expired go, and if none has, all. */
  void remember(String token, Verified fresh) {
    if (verified.size() >= REMEMBERED) {
      long now = clock.getAsLong();
      verified.values().removeIf(v -> now >= v.expiresMillis());
      if (verified.size() >= REMEMBERED) {
        verified.clear();
      }
    }
    verified.put(token, fresh);
  }

  /** How many verified tokens are remembered now. */
  int remembered() {
    return verified.size();
  }

  /**
   * The issue time a token says it has, read without checking its signature: for the gateway,
   * which holds the tokens auth-service gave it and only needs to know which a revocation ends.
   */
  public static OptionalLong issuedMillis(String token) {
    String[] parts = token == null ? new String[0] : token.split("\\.");
    if (parts.length != 3) {
      return OptionalLong.empty();
    }
    try {
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      Object issued = claims.getValue(ISSUED_MILLIS_CLAIM);
      return issued instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    } catch (RuntimeException e) {
      return OptionalLong.empty();
    }
  }
}
