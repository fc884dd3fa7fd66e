package dev.ferry.auth;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;

/**
 * Consecutive failed logins per account <em>and client address</em>, and the lockout they lead
 * to. PROTOCOL.md section 3: "after 5 consecutive failures an account is locked for 15 minutes
 * (both configurable) and answers {@code 9} even with the right password". The lock holds for the
 * address that failed only: guesses from one address cannot lock the account's owner out from
 * another, so nobody can keep the only admin locked by failing on purpose. Addresses are counted
 * as {@link AddressFailureLedger#key} does (an IPv6 client per /64).
 *
 * <p>In memory only: a restart forgets counts and lockouts (the admin's lock is persisted in the
 * account instead). Bounded: at most {@code maxEntries} pairs are kept, in order of their last
 * failure; a pair whose last failure (or lockout) is older than {@code lockoutSeconds} is dropped,
 * and when the map is full of live ones the oldest goes, so an attacker with very many addresses
 * can at worst end a lockout of one of its own early. Not thread-safe: used from the auth
 * verticle's event loop. The clock is injectable for tests.
 */
final class FailureLedger {

  /** About 2 MiB of entries at most. */
  static final int DEFAULT_MAX_ENTRIES = 10_000;

  private record Key(String account, String address) {
  }

  private static final class Entry {
    int failures;
    long lastMillis;
    long lockedUntilMillis;
  }

  private final int threshold;
  private final long lockoutMillis;
  private final int maxEntries;
  private final LongSupplier clockMillis;
  /** In order of last failure: the stale ones are at the head. */
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();

  FailureLedger(int threshold, long lockoutSeconds, int maxEntries, LongSupplier clockMillis) {
    this.threshold = threshold;
    this.lockoutMillis = lockoutSeconds * 1000;
    this.maxEntries = maxEntries;
    this.clockMillis = clockMillis;
  }

  /** Whether logins to {@code account} from {@code address} are locked out now. */
  boolean isLockedOut(String account, String address) {
    long now = clockMillis.getAsLong();
    dropStale(now);
    Entry entry = entries.get(key(account, address));
    return entry != null && now < entry.lockedUntilMillis;
  }

  /** Whether any address is locked out of {@code account} now (for the account's status). */
  boolean isLockedOutAnywhere(String account) {
    long now = clockMillis.getAsLong();
    dropStale(now);
    return entries.entrySet().stream()
      .anyMatch(e -> e.getKey().account.equals(account) && now < e.getValue().lockedUntilMillis);
  }

  /** The accounts some address is locked out of now. */
  java.util.Set<String> lockedOutAccounts() {
    long now = clockMillis.getAsLong();
    dropStale(now);
    java.util.Set<String> accounts = new java.util.HashSet<>();
    entries.forEach((key, entry) -> {
      if (now < entry.lockedUntilMillis) {
        accounts.add(key.account);
      }
    });
    return accounts;
  }

  /** Counts a failure; the one that reaches the threshold starts the lockout of that address. */
  void recordFailure(String account, String address) {
    long now = clockMillis.getAsLong();
    dropStale(now);
    Key key = key(account, address);
    Entry entry = entries.remove(key);
    if (entry == null) {
      if (entries.size() >= maxEntries) {
        Iterator<Entry> oldest = entries.values().iterator();
        oldest.next();
        oldest.remove();
      }
      entry = new Entry();
    } else if (now < entry.lockedUntilMillis) {
      // Attempts during a lockout are answered 9 before they get here; never extend it.
      entries.put(key, entry);
      return;
    }
    entry.failures++;
    entry.lastMillis = now;
    if (entry.failures >= threshold) {
      entry.lockedUntilMillis = now + lockoutMillis;
    }
    entries.put(key, entry);
  }

  /** Consecutive failures counted for the pair (0 after a reset or an expired lockout). */
  int failures(String account, String address) {
    dropStale(clockMillis.getAsLong());
    Entry entry = entries.get(key(account, address));
    return entry == null ? 0 : entry.failures;
  }

  /** Forgets the pair's failures: a successful login from that address. */
  void clear(String account, String address) {
    entries.remove(key(account, address));
  }

  /** Forgets the account's failures and lockouts from every address: an unlock, a delete. */
  void clear(String account) {
    entries.keySet().removeIf(k -> k.account.equals(account));
  }

  /** Pairs kept. */
  int size() {
    return entries.size();
  }

  /**
   * A pair is stale once its last failure and its lockout are both {@code lockoutSeconds} old:
   * entries are in order of last failure, so the stale ones are at the head.
   */
  private void dropStale(long now) {
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext()) {
      Entry entry = it.next();
      if (now - entry.lastMillis < lockoutMillis || now < entry.lockedUntilMillis) {
        return;
      }
      it.remove();
    }
  }

  private static Key key(String account, String address) {
    return new Key(account, address.isEmpty() ? "" : AddressFailureLedger.key(address));
  }
}
