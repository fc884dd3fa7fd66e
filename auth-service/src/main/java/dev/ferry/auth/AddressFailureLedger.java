package dev.ferry.auth;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Failed logins per client address, in a fixed window of one minute that starts at an address's
 * first failure. Once an address has {@code limit} failures in its window, {@link #isLimited}
 * holds until the window ends: its logins are then refused without checking the password, so
 * guessing from one address costs the server at most {@code limit} hashes a minute, and the
 * right password guessed then does not help either.
 *
 * <p>Bounded: at most {@code maxAddresses} windows are kept. The map is in order of window start,
 * so ended windows are dropped from its head, and when it is full of live ones the oldest goes:
 * an attacker with more addresses than that may reset one of its own early, but cannot grow
 * the map. Logins under way count too, but only once the address has failed in its window, so
 * a burst of guesses cannot all pass the limit before the first of them fails, while any number
 * of logins at once from an address that has not failed (a NAT, parallel transfers) pass.
 * IPv6 addresses count per /64 prefix, the block one host usually has to itself. An
 * empty address (a caller that gave none) is not counted. Not thread-safe: used from the auth
 * verticle's event loop; the clock is injectable for tests.
 */
final class AddressFailureLedger {

  static final long WINDOW_MILLIS = 60_000;
  /** About 1.5 MiB of windows at most. */
  static final int DEFAULT_MAX_ADDRESSES = 10_000;
  private static final System.Logger LOG = System.getLogger(AddressFailureLedger.class.getName());

  private static final class Window {
    final long startMillis;
    int failures;

    Window(long startMillis) {
      this.startMillis = startMillis;
    }
  }

  private final int limit;
  private final int maxAddresses;
  private final LongSupplier clockMillis;
  private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();
  /** Logins under way per address: at most the hashing queue's worth in all. */
  private final Map<String, Integer> pending = new HashMap<>();

  /** @param limit failures per address and window; {@code 0} limits nothing */
  AddressFailureLedger(int limit, int maxAddresses, LongSupplier clockMillis) {
    this.limit = limit;
    this.maxAddresses = maxAddresses;
    this.clockMillis = clockMillis;
  }

  /** Whether logins from {@code address} are refused now. */
  boolean isLimited(String address) {
    if (limit == 0 || address.isEmpty()) {
      return false;
    }
    dropEnded(clockMillis.getAsLong());
    Window window = windows.get(key(address));
    return window != null && window.failures >= limit;
  }

  /**
   * A login from {@code address} begins: answers false, counting nothing, when the address is
   * over its limit with the logins it has under way; else {@link #end} must follow.
   */
  boolean begin(String address) {
    if (limit == 0 || address.isEmpty()) {
      return true;
    }
    dropEnded(clockMillis.getAsLong());
    String key = key(address);
    Window window = windows.get(key);
    int underWay = pending.getOrDefault(key, 0);
    if (window != null && window.failures + underWay >= limit) {
      return false;
    }
    pending.put(key, underWay + 1);
    return true;
  }

  /** A login {@link #begin} admitted is over; {@code failed} counts it as a failure. */
  void end(String address, boolean failed) {
    if (limit == 0 || address.isEmpty()) {
      return;
    }
    pending.computeIfPresent(key(address), (k, n) -> n > 1 ? n - 1 : null);
    if (failed) {
      recordFailure(address);
    }
  }

  /** Counts a failed login from {@code address}. */
  void recordFailure(String address) {
    if (limit == 0 || address.isEmpty()) {
      return;
    }
    long now = clockMillis.getAsLong();
    dropEnded(now);
    String key = key(address);
    Window window = windows.get(key);
    if (window == null) {
      if (windows.size() >= maxAddresses) {
        Iterator<Window> oldest = windows.values().iterator();
        oldest.next();
        oldest.remove();
      }
      window = new Window(now);
      windows.put(key, window);
    }
    window.failures++;
    if (window.failures == limit) {
      LOG.log(System.Logger.Level.WARNING, "client address " + key + " reached " + limit
        + " failed logins within a minute: its logins are refused until the minute is over");
    }
  }

  /** Addresses with a live window. */
  int size() {
    return windows.size();
  }

  /** Windows start in map order, so the ended ones are all at the head. */
  private void dropEnded(long now) {
    Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator();
    while (it.hasNext() && now - it.next().getValue().startMillis >= WINDOW_MILLIS) {
      it.remove();
    }
  }

  /**
   * The unit counted: an IPv4 address as it is, an IPv6 address as its /64 prefix (an
   * IPv4-mapped one as the IPv4 address). Text that is not an IPv6 address is kept as it is.
   */
  static String key(String address) {
    if (address.indexOf(':') < 0) {
      return address;
    }
    String text = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    int zone = text.indexOf('%');
    if (zone >= 0) {
      text = text.substring(0, zone);
    }
    int lastColon = text.lastIndexOf(':');
    if (text.indexOf('.', lastColon) > 0) {
      // ::ffff:192.0.2.1 is that IPv4 client.
      return text.substring(lastColon + 1);
    }
    String[] groups = expand(text);
    if (groups == null) {
      return address;
    }
    return String.join(":", groups[0], groups[1], groups[2], groups[3]) + "::/64";
  }

  /** The eight groups of an IPv6 address, without leading zeros; null if it is not one. */
  private static String[] expand(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    String[] head = gap < 0 ? text.split(":", -1) : split(text.substring(0, gap));
    String[] tail = gap < 0 ? new String[0] : split(text.substring(gap + 2));
    int missing = 8 - head.length - tail.length;
    if (gap < 0 ? missing != 0 : missing < 1) {
      return null;
    }
    String[] groups = new String[8];
    int i = 0;
    for (String g : head) {
      groups[i++] = g;
    }
    for (int m = 0; m < missing; m++) {
      groups[i++] = "0";
    }
    for (String g : tail) {
      groups[i++] = g;
    }
    for (int g = 0; g < 8; g++) {
      if (!groups[g].matches("[0-9a-fA-F]{1,4}")) {
        return null;
      }
      groups[g] = Integer.toHexString(Integer.parseInt(groups[g], 16));
    }
    return groups;
  }

  private static String[] split(String part) {
    return part.isEmpty() ? new String[0] : part.split(":", -1);
  }
}
