package dev.ferry.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Consecutive failed logins per account and the lockout they lead to. PROTOCOL.md section 3:
 * "after 5 consecutive failures an account is locked for 15 minutes (both configurable) and
 * answers {@code 9} even with the right password; an admin can unlock it."
 *
 * <p>In memory only: a restart forgets counts and lockouts (the admin's lock is persisted in the
 * account instead). Only existing accounts are recorded, so the map is bounded by the accounts.
 * Not thread-safe: used from the auth verticle's event loop. The clock is injectable for tests.
 */
final class FailureLedger {

  private record Entry(int failures, long lockedUntilMillis) {
  }

  private final int threshold;
  private final long lockoutMillis;
  private final LongSupplier clockMillis;
  private final Map<String, Entry> entries = new HashMap<>();

  FailureLedger(int threshold, long lockoutSeconds, LongSupplier clockMillis) {
    this.threshold = threshold;
    this.lockoutMillis = lockoutSeconds * 1000;
    this.clockMillis = clockMillis;
  }

  /** Whether the account is locked out now; an expired lockout is forgotten, with its count. */
  boolean isLockedOut(String account) {
    Entry entry = entries.get(account);
    if (entry == null || entry.lockedUntilMillis == 0) {
      return false;
    }
    if (clockMillis.getAsLong() < entry.lockedUntilMillis) {
      return true;
    }
    entries.remove(account);
    return false;
  }

  /** Counts a failure; the one that reaches the threshold starts the lockout. */
  void recordFailure(String account) {
    if (isLockedOut(account)) {
      // Attempts during a lockout are answered 9 before they get here; never extend it.
      return;
    }
    int failures = entries.getOrDefault(account, new Entry(0, 0)).failures + 1;
    long lockedUntil = failures >= threshold ? clockMillis.getAsLong() + lockoutMillis : 0;
    entries.put(account, new Entry(failures, lockedUntil));
  }

  /** Consecutive failures counted so far (0 after a reset or an expired lockout). */
  int failures(String account) {
    isLockedOut(account);
    Entry entry = entries.get(account);
    return entry == null ? 0 : entry.failures;
  }

  /** Forgets the account's failures and lockout: on a successful login, an unlock, a delete. */
  void clear(String account) {
    entries.remove(account);
  }
}
