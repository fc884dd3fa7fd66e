package dev.ferry.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.hashing.HashingStrategy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Password hashes with Vert.x Auth's PBKDF2 (PBKDF2WithHmacSHA512), a fresh random salt each time,
 * stored as the strategy's self-describing string {@code $pbkdf2$it=<iterations>$<salt>$<hash>}
 * so that a later change of the iteration count still verifies old hashes.
 *
 * <p>Every hash and verify runs on a worker thread ({@code executeBlocking(..., false)}): one costs
 * a good fraction of a second by design and must never hold up an event loop.
 */
final class PasswordHasher {

  static final String ALGORITHM = "pbkdf2";
  static final int SALT_BYTES = 16;
  private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final System.Logger LOG = System.getLogger(PasswordHasher.class.getName());

  private final Vertx vertx;
  private final int iterations;
  private final HashingStrategy strategy = HashingStrategy.load();
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong verifications = new AtomicLong();
  private String dummyHash;

  private PasswordHasher(Vertx vertx, int iterations) {
    this.vertx = vertx;
    this.iterations = iterations;
  }

  /**
   * A hasher with its dummy hash ready: a hash of a random password with the configured
   * iterations, verified in place of an unknown account's so that the answer costs the same time
   * whether or not the account exists (PROTOCOL.md section 3).
   */
  static Future<PasswordHasher> create(Vertx vertx, int iterations) {
    PasswordHasher hasher = new PasswordHasher(vertx, iterations);
    return hasher.hash(randomSecret(hasher.random, 24)).map(dummy -> {
      hasher.dummyHash = dummy;
      return hasher;
    });
  }

  Future<String> hash(String password) {
    Map<String, String> params = Map.of("it", Integer.toString(iterations));
    return vertx.executeBlocking(() -> {
      byte[] salt = new byte[SALT_BYTES];
      random.nextBytes(salt);
      return strategy.hash(ALGORITHM, params, Base64.getEncoder().withoutPadding().encodeToString(salt), password);
    }, false);
  }

  /** Whether {@code password} matches {@code hash}; a malformed hash matches nothing. */
  Future<Boolean> verify(String hash, String password) {
    return vertx.executeBlocking(() -> {
      verifications.incrementAndGet();
      try {
        return strategy.verify(hash, password);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "a stored password hash cannot be read: " + e);
        return false;
      }
    }, false);
  }

  /** Spends the time of one real verify and always answers no. */
  Future<Boolean> verifyDummy(String password) {
    return verify(dummyHash, password).map(ignored -> false);
  }

  /** How many verifies have run: a test hook that proves the equal-cost paths hash. */
  long verifications() {
    return verifications.get();
  }

  /**
   * A random password of {@code length} letters and digits (24 give about 143 bits): nothing a
   * shell or the wire's {@code *} separator would mangle.
   */
  static String randomSecret(SecureRandom random, int length) {
    StringBuilder secret = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      secret.append(SECRET_ALPHABET.charAt(random.nextInt(SECRET_ALPHABET.length())));
    }
    return secret.toString();
  }
}
