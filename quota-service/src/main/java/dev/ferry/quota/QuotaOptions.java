package dev.ferry.quota;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/** The settings quota-service reads from the shared flat config, each with a named default. */
public final class QuotaOptions {

  public static final String DEFAULT_DATA = "./data";
  /** 1 GiB: the limit of an account no admin has set one for. */
  public static final long DEFAULT_QUOTA = 1_073_741_824L;
  public static final String QUOTA_FILE = "quota.json";

  private final Path dataDir;
  private final long defaultQuota;

  /** Reads the keys; throws {@link IllegalArgumentException} with a clear message on a bad value. */
  public QuotaOptions(JsonObject config) {
    this.dataDir = Path.of(config.getString("data", DEFAULT_DATA));
    this.defaultQuota = longValue(config, "defaultQuota", DEFAULT_QUOTA);
    if (defaultQuota < 0) {
      throw new IllegalArgumentException("defaultQuota must not be negative (0 = unlimited), got " + defaultQuota);
    }
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
}
