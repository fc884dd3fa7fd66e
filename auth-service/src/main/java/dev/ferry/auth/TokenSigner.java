package dev.ferry.auth;

import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.TokenKeys;
import dev.ferry.protocol.bus.TokenRevocations;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Mints the session tokens every service verifies with {@link SessionTokens}: ES256 with the
 * private key only auth-service holds, the {@code kid} header naming the public key that
 * verifies it. A token's issue time is never at or before a revocation this process knows of,
 * so a token issued in the same millisecond as a revocation (a password change's fresh token)
 * is not void.
 */
public final class TokenSigner {

  /** Config key: the PEM text (PKCS#8) of the private key that signs tokens. */
  public static final String PRIVATE_KEY_CONFIG = "tokenPrivateKey";

  private final JWTAuth jwt;
  private final String kid;
  private final int ttlSeconds;
  private final TokenRevocations revocations;

  public TokenSigner(Vertx vertx, String privateKeyPem, List<String> publicKeyPems, int ttlSeconds, TokenRevocations revocations) {
    if (privateKeyPem == null || !privateKeyPem.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new IllegalArgumentException("the token private key must be a PKCS#8 PEM (BEGIN PRIVATE KEY)");
    }
    this.kid = publicKeyPems.stream().filter(pub -> matches(privateKeyPem, pub)).findFirst().map(TokenKeys::kid)
      .orElseThrow(() -> new IllegalArgumentException("the token private key is an EC P-256 key whose public key is "
        + "not among the token public keys: the services could not verify its tokens"));
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm(SessionTokens.ALGORITHM).setId(kid).setBuffer(privateKeyPem)));
    this.ttlSeconds = ttlSeconds;
    this.revocations = revocations;
  }

  /** The signer of auth-service's config, or empty when it holds no private key. */
  static Optional<TokenSigner> fromConfig(Vertx vertx, JsonObject config, TokenRevocations revocations) {
    String pem = config.getString(PRIVATE_KEY_CONFIG);
    if (pem == null) {
      return Optional.empty();
    }
    List<String> publicKeys = config.getJsonArray(SessionTokens.PUBLIC_KEYS_CONFIG).stream().map(String::valueOf).toList();
    return Optional.of(new TokenSigner(vertx, pem, publicKeys, SessionTokens.ttlSeconds(config), revocations));
  }

  int ttlSeconds() {
    return ttlSeconds;
  }

  /** The id of the key this signer signs with. */
  String kid() {
    return kid;
  }

  public String issue(Principal principal) {
    long issued = Math.max(System.currentTimeMillis(), revocations.revokedUpTo(principal.account()) + 1);
    JsonObject claims = new JsonObject()
      .put(SessionTokens.ROLE_CLAIM, principal.role().wire())
      .put(SessionTokens.ISSUED_MILLIS_CLAIM, issued);
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm(SessionTokens.ALGORITHM)
      .setHeader(new JsonObject().put("kid", kid))
      .setSubject(principal.account()).setExpiresInSeconds(ttlSeconds));
  }

  /** Whether {@code publicPem} verifies what {@code privatePem} signs. */
  private static boolean matches(String privatePem, String publicPem) {
    try {
      KeyFactory ec = KeyFactory.getInstance("EC");
      PrivateKey privateKey = ec.generatePrivate(new PKCS8EncodedKeySpec(der(privatePem, "PRIVATE KEY")));
      PublicKey publicKey = ec.generatePublic(new X509EncodedKeySpec(der(publicPem, "PUBLIC KEY")));
      byte[] probe = "ferry token key probe".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] der(String pem, String type) {
    int start = pem.indexOf("-----BEGIN " + type + "-----");
    int end = pem.indexOf("-----END " + type + "-----");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("no " + type + " in PEM");
    }
    String body = pem.substring(start + ("-----BEGIN " + type + "-----").length(), end);
    return Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
  }
}
