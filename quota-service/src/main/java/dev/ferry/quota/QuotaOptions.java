package dev.ferry.quota;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/** The settings quota-service reads from the shared flat config, each with a named default. */
public final class QuotaOptions {

  public static final String DEFAULT_DATA = "./data";
  /** 1 GiB: the limit of an account no admin has set one for. */
  public static final long DEFAULT_QUOTA = 1_073_741_824L;
  public static final String QUOTA_FILE = "quota.json";
  /**
   * How long a reservation lives unless its holder renews it (QuotaApi RESERVE). The storage
   * node holding the upload renews every third of it, so only a reservation whose node died runs
   * out; it must stay
   * above storage's {@code handleIdleSeconds} (300), so that a reservation never goes while the
   * upload handle it covers can still take bytes.
   */
  public static final int DEFAULT_RESERVATION_SECONDS = 600;

  private final Path dataDir;
  private final long defaultQuota;
  private final int reservationSeconds;

  /** Reads the keys; throws {@link IllegalArgumentException} with a clear message on a bad value. */
  public QuotaOptions(JsonObject config) {
    this.dataDir = Path.of(config.getString("data", DEFAULT_DATA));
    this.defaultQuota = longValue(config, "defaultQuota", DEFAULT_QUOTA);
    if (defaultQuota < 0) {
      throw new IllegalArgumentException("defaultQuota must not be negative (0 = unlimited), got " + defaultQuota);
    }
    long seconds = longValue(config, "reservationSeconds", DEFAULT_RESERVATION_SECONDS);
    if (seconds < 1 || seconds > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("reservationSeconds must be 1.." + Integer.MAX_VALUE + ", got " + seconds);
    }
    this.reservationSeconds = (int) seconds;
  }

  /** A number, or a string of one (environment variables arrive as strings). */
  private static long longValue(JsonObject config, String key, long fallback) {
    Object value = config.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got \"" + value + "\"", e);
    }
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Where the per-account limits are kept (ARCHITECTURE.md: {@code <data>/quota.json}). */
  public Path quotaFile() {
    return dataDir.resolve(QUOTA_FILE);
  }

  /** Bytes; 0 = unlimited. */
  public long defaultQuota() {
    return defaultQuota;
  }

  /** Seconds a reservation lives unless renewed. */
  public int reservationSeconds() {
    return reservationSeconds;
  }
}
