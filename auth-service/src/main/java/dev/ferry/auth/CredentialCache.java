package dev.ferry.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;

/**
 * Logins that passed a full PBKDF2 verify lately, so that the same account, password and stored
 * hash are let in again for {@code credentialCacheSeconds} without another 135 ms hash (SFTPGo's
 * password caching). It keeps an HMAC-SHA256 of them under a key made at random for this
 * process, never the password: a memory dump gives an attacker no more than the stored hash
 * would, and nothing survives a restart.
 *
 * <p>Only a right password can match: a wrong one always pays the full verify and counts toward
 * the lockout. A changed password changes the stored hash, which no entry matches any more;
 * {@code passwd}, {@code lock} and {@code userdel} also drop the account's entry at once.
 * Bounded: at most {@code maxEntries}, the oldest dropped first. Not thread-safe: used from the
 * auth verticle's event loop, where an HMAC of a few hundred bytes costs microseconds.
 */
final class CredentialCache {

  static final int DEFAULT_MAX_ENTRIES = 100_000;

  private record Entry(byte[] digest, long expiresMillis) {
  }

  private final long ttlMillis;
  private final int maxEntries;
  private final LongSupplier clockMillis;
  private final Mac mac;
  /** In order of insertion; an entry remembered again moves to the end. */
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  /** @param ttlSeconds how long a verified login is remembered; 0 remembers nothing */
  CredentialCache(int ttlSeconds, int maxEntries, LongSupplier clockMillis) {
    this.ttlMillis = ttlSeconds * 1000L;
    this.maxEntries = maxEntries;
    this.clockMillis = clockMillis;
    this.mac = ProcessKeys.randomHmacSha256();
  }

  /** Whether {@code password} verified against {@code storedHash} of {@code account} lately. */
  boolean matches(String account, String storedHash, String password) {
    if (ttlMillis == 0) {
      return false;
    }
    Entry entry = entries.get(account);
    if (entry == null) {
      return false;
    }
    if (clockMillis.getAsLong() >= entry.expiresMillis()) {
      entries.remove(account);
      return false;
    }
    return MessageDigest.isEqual(entry.digest(), digest(account, storedHash, password));
  }

  /** Remembers a login that a full verify let in. */
  void remember(String account, String storedHash, String password) {
    if (ttlMillis == 0) {
      return;
    }
    entries.remove(account);
    if (entries.size() >= maxEntries) {
      Iterator<Entry> oldest = entries.values().iterator();
      oldest.next();
      oldest.remove();
    }
    entries.put(account, new Entry(digest(account, storedHash, password), clockMillis.getAsLong() + ttlMillis));
  }

  /** Drops what is remembered of {@code account}: its password changed, it was locked or deleted. */
  void forget(String account) {
    entries.remove(account);
  }

  int size() {
    return entries.size();
  }

  private byte[] digest(String account, String storedHash, String password) {
    // NUL cannot occur in an account name or a stored hash, so the fields cannot run together.
    return mac.doFinal((account + '\0' + storedHash + '\0' + password).getBytes(StandardCharsets.UTF_8));
  }
}
