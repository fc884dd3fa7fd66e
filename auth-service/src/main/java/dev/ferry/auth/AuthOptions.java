package dev.ferry.auth;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * The settings auth-service reads from the shared flat config, each with a named default.
 *
 * <p>{@code pbkdf2Iterations} may be lowered in the config, but only tests should do that: the
 * default of 210000 rounds of PBKDF2-HMAC-SHA512 is the OWASP recommendation, and every round
 * taken away makes a stolen {@code users.json} cheaper to crack.
 */
public final class AuthOptions {

  public static final String DEFAULT_DATA = "./data";
  public static final int DEFAULT_PBKDF2_ITERATIONS = 210_000;
  public static final int DEFAULT_LOCKOUT_THRESHOLD = 5;
  public static final int DEFAULT_LOCKOUT_SECONDS = 900;
  /** Threads that hash passwords; 0 means half the processors, at least one. */
  public static final int DEFAULT_HASH_THREADS = 0;
  /** Hashes that may wait for a hashing thread; one more is refused BUSY at once. */
  public static final int DEFAULT_HASH_QUEUE = 32;
  /** Failed logins one client address may make per minute before its logins are refused; 0 = no limit. */
  public static final int DEFAULT_LOGIN_FAILURES_PER_ADDRESS = 30;
  /** How long a login that passed a full verify lets the same password in again without one; 0 = never. */
  public static final int DEFAULT_CREDENTIAL_CACHE_SECONDS = 300;
  /** How long a session ticket lets the same account and role log in on more connections. */
  public static final int DEFAULT_SESSION_TICKET_SECONDS = 120;
  /** PROTOCOL.md section 7: {@code WEAK_PASSWORD} (shorter than 8 characters). */
  public static final int MIN_PASSWORD_LENGTH = 8;

  private final Path dataDir;
  private final int pbkdf2Iterations;
  private final int lockoutThreshold;
  private final int lockoutSeconds;
  private final int hashThreads;
  private final int hashQueue;
  private final int loginFailuresPerAddress;
  private final int credentialCacheSeconds;
  private final int sessionTicketSeconds;
  private final String adminPassword;
  private final Path adminPasswordPath;

  /** Reads the keys; throws {@link IllegalArgumentException} with a clear message on a bad value. */
  public AuthOptions(JsonObject config) {
    this.dataDir = Path.of(config.getString("data", DEFAULT_DATA));
    this.pbkdf2Iterations = intValue(config, "pbkdf2Iterations", DEFAULT_PBKDF2_ITERATIONS);
    this.lockoutThreshold = intValue(config, "lockoutThreshold", DEFAULT_LOCKOUT_THRESHOLD);
    this.lockoutSeconds = intValue(config, "lockoutSeconds", DEFAULT_LOCKOUT_SECONDS);
    int threads = intValue(config, "hashThreads", DEFAULT_HASH_THREADS);
    this.hashQueue = intValue(config, "hashQueue", DEFAULT_HASH_QUEUE);
    this.loginFailuresPerAddress = intValue(config, "loginFailuresPerAddress", DEFAULT_LOGIN_FAILURES_PER_ADDRESS);
    this.credentialCacheSeconds = intValue(config, "credentialCacheSeconds", DEFAULT_CREDENTIAL_CACHE_SECONDS);
    this.sessionTicketSeconds = intValue(config, "sessionTicketSeconds", DEFAULT_SESSION_TICKET_SECONDS);
    this.adminPassword = config.getString("adminPassword");
    String passwordPath = config.getString("adminPasswordPath");
    this.adminPasswordPath = passwordPath == null || passwordPath.isBlank() ? null : Path.of(passwordPath.trim());
    if (adminPassword != null && adminPasswordPath != null) {
      throw new IllegalArgumentException("set adminPassword or adminPasswordPath, not both");
    }
    if (pbkdf2Iterations < 1) {
      throw new IllegalArgumentException("pbkdf2Iterations must be at least 1, got " + pbkdf2Iterations);
    }
    if (lockoutThreshold < 1) {
      throw new IllegalArgumentException("lockoutThreshold must be at least 1, got " + lockoutThreshold);
    }
    if (lockoutSeconds < 0) {
      throw new IllegalArgumentException("lockoutSeconds must not be negative, got " + lockoutSeconds);
    }
    if (threads < 0) {
      throw new IllegalArgumentException("hashThreads must not be negative, got " + threads);
    }
    this.hashThreads = threads == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors() / 2) : threads;
    if (hashQueue < 0) {
      throw new IllegalArgumentException("hashQueue must not be negative, got " + hashQueue);
    }
    if (loginFailuresPerAddress < 0) {
      throw new IllegalArgumentException("loginFailuresPerAddress must not be negative, got " + loginFailuresPerAddress);
    }
    if (credentialCacheSeconds < 0) {
      throw new IllegalArgumentException("credentialCacheSeconds must not be negative, got " + credentialCacheSeconds);
    }
    if (sessionTicketSeconds < 1) {
      throw new IllegalArgumentException("sessionTicketSeconds must be at least 1, got " + sessionTicketSeconds);
    }
    if (adminPassword != null && !isStrongEnough(adminPassword)) {
      // The value itself is never echoed: it is a password.
      throw new IllegalArgumentException("adminPassword must have at least " + MIN_PASSWORD_LENGTH + " characters");
    }
  }

  /** A number, or a string of one (environment variables arrive as strings). */
  private static int intValue(JsonObject config, String key, int fallback) {
    Object value = config.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got \"" + value + "\"", e);
    }
  }

  /** Whether a new password is long enough (counted in characters, not UTF-16 units or bytes). */
  public static boolean isStrongEnough(String password) {
    return password != null && password.codePointCount(0, password.length()) >= MIN_PASSWORD_LENGTH;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path usersFile() {
    return dataDir.resolve("users.json");
  }

  /** How long a verified login is let in again without a full verify; 0: never. */
  public int credentialCacheSeconds() {
    return credentialCacheSeconds;
  }

  /** How long a session ticket is valid, from the moment it is made. */
  public int sessionTicketSeconds() {
    return sessionTicketSeconds;
  }

  public int pbkdf2Iterations() {
    return pbkdf2Iterations;
  }

  public int lockoutThreshold() {
    return lockoutThreshold;
  }

  public int lockoutSeconds() {
    return lockoutSeconds;
  }

  /** Threads of the password hashing executor, {@code 0} already resolved to half the processors. */
  public int hashThreads() {
    return hashThreads;
  }

  public int hashQueue() {
    return hashQueue;
  }

  /** {@code 0}: failed logins are not limited per address. */
  public int loginFailuresPerAddress() {
    return loginFailuresPerAddress;
  }

  /** The file holding the first admin password, read on a first start only; null when not set. */
  public Path adminPasswordPath() {
    return adminPasswordPath;
  }

  /** The configured first admin password, or null to generate one. */
  public String adminPassword() {
    return adminPassword;
  }
}
