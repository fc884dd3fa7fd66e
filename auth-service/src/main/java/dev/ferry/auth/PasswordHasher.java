package dev.ferry.auth;

import dev.ferry.protocol.bus.Failure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.auth.hashing.HashingStrategy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Password hashes with Vert.x Auth's PBKDF2 (PBKDF2WithHmacSHA512), a fresh random salt each time,
 * stored as the strategy's self-describing string {@code $pbkdf2$it=<iterations>$<salt>$<hash>}
 * so that a later change of the iteration count still verifies old hashes.
 *
 * <p>Every hash and verify runs on the worker executor {@value #EXECUTOR_NAME} of its own: one
 * costs a good fraction of a second by design, so it must never hold up an event loop, nor take
 * the worker threads that file work runs on. At most {@code threads} hashes run and
 * {@code queue} wait; one more fails {@link Failure#BUSY} at once rather than waiting behind
 * them, so a flood of logins costs a bounded wait and bounded memory.
 */
final class PasswordHasher {

  static final String ALGORITHM = "pbkdf2";
  static final int SALT_BYTES = 16;
  private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static final String EXECUTOR_NAME = "ferry-password-hashing";
  private static final System.Logger LOG = System.getLogger(PasswordHasher.class.getName());

  private final WorkerExecutor executor;
  private final int iterations;
  private final int capacity;
  private final HashingStrategy strategy = HashingStrategy.load();
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong verifications = new AtomicLong();
  /** Every full verify of this process, for operators: how much login work the credential cache and tickets save. */
  private static final Counter VERIFIES = Counter.builder("ferry.password.verifies")
    .description("Full PBKDF2 password verifies run (an unknown account's included)")
    .register(Metrics.globalRegistry);
  /** Hashes running or waiting. */
  private final AtomicInteger admitted = new AtomicInteger();
  /** Whether the last hash asked for was refused: the refusals of one burst are logged once. */
  private final AtomicBoolean saturated = new AtomicBoolean();
  private String dummyHash;

  private PasswordHasher(WorkerExecutor executor, int iterations, int capacity) {
    this.executor = executor;
    this.iterations = iterations;
    this.capacity = capacity;
  }

  /**
   * A hasher with its dummy hash ready: a hash of a random password with the configured
   * iterations, verified in place of an unknown account's so that the answer costs the same time
   * whether or not the account exists (PROTOCOL.md section 3).
   */
  static Future<PasswordHasher> create(Vertx vertx, int iterations, int threads, int queue) {
    WorkerExecutor executor = vertx.createSharedWorkerExecutor(EXECUTOR_NAME, threads);
    PasswordHasher hasher = new PasswordHasher(executor, iterations, threads + queue);
    return hasher.hash(randomSecret(hasher.random, 24))
      .map(dummy -> {
        hasher.dummyHash = dummy;
        return hasher;
      })
      .recover(error -> executor.close().transform(closed -> Future.failedFuture(error)));
  }

  /** A new salted hash of {@code password}; fails BUSY when the hashing queue is full. */
  Future<String> hash(String password) {
    Map<String, String> params = Map.of("it", Integer.toString(iterations));
    return submit(() -> {
      byte[] salt = new byte[SALT_BYTES];
      random.nextBytes(salt);
      return strategy.hash(ALGORITHM, params, Base64.getEncoder().withoutPadding().encodeToString(salt), password);
    });
  }

  /**
   * Whether {@code password} matches {@code hash}; a malformed hash matches nothing. Fails BUSY
   * when the hashing queue is full.
   */
  Future<Boolean> verify(String hash, String password) {
    return submit(() -> {
      verifications.incrementAndGet();
      VERIFIES.increment();
      try {
        return strategy.verify(hash, password);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "a stored password hash cannot be read: " + e);
        return false;
      }
    });
  }

  /** Spends the time of one real verify and always answers no. */
  Future<Boolean> verifyDummy(String password) {
    return verify(dummyHash, password).map(ignored -> false);
  }

  /** Runs {@code work} on the hashing executor if it has room, else fails BUSY without waiting. */
  private <T> Future<T> submit(Callable<T> work) {
    if (admitted.incrementAndGet() > capacity) {
      admitted.decrementAndGet();
      if (saturated.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, "password hashing is saturated (" + capacity
          + " hashes running or waiting): refusing more as BUSY until there is room");
      }
      return Future.failedFuture(Failure.BUSY.exception("password hashing queue is full"));
    }
    saturated.set(false);
    try {
      return executor.executeBlocking(work, false).andThen(done -> admitted.decrementAndGet());
    } catch (RuntimeException closed) {
      // The executor is shut down (the verticle stopping): refused like a full queue.
      admitted.decrementAndGet();
      return Future.failedFuture(Failure.BUSY.exception("password hashing is stopped"));
    }
  }

  /** Hashes running or waiting now. */
  int admitted() {
    return admitted.get();
  }

  /** Releases this hasher's hold on the shared executor. */
  Future<Void> close() {
    return executor.close();
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
