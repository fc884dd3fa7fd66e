package dev.ferry.storage;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * The settings storage-service reads from the shared flat config, each with a named default.
 *
 * <p>Layout under the data directory (ARCHITECTURE.md): {@code files/} is the virtual {@code /},
 * homes live at {@code files/home/<account>}, partial uploads at {@code partial/}, outside
 * {@code files/} so they can never show up in a listing, and the stored SHA-256 digests of
 * published files at {@code digests/}.
 */
public final class StorageOptions {

  public static final String DEFAULT_DATA = "./data";
  public static final String FILES_DIR = "files";
  public static final String PARTIAL_DIR = "partial";
  public static final String DIGESTS_DIR = "digests";
  /** Open transfer handles one node holds at most; one more open fails BUSY. */
  public static final int DEFAULT_MAX_HANDLES_PER_NODE = 1024;
  /** Open transfer handles one account holds at most across the cluster; one more open fails BUSY. */
  public static final int DEFAULT_MAX_HANDLES_PER_ACCOUNT = 64;
  /** Partial uploads one account may have at once; a new one past that fails BUSY. */
  public static final int DEFAULT_MAX_PARTIALS_PER_ACCOUNT = 100;
  /** Files and directories one account's home may hold; a new one past that fails TOO_MANY_ENTRIES. */
  public static final int DEFAULT_MAX_ENTRIES_PER_ACCOUNT = 100_000;
  /**
   * An open handle's lease on its account's share lasts this long unless its node renews it: the
   * handles of a node that died stop counting after that.
   */
  public static final int DEFAULT_HANDLE_LEASE_SECONDS = 60;
  /** A handle unused for this long is closed (an upload's partial data is kept). */
  public static final int DEFAULT_HANDLE_IDLE_SECONDS = 300;
  /** PROTOCOL.md s5: partial uploads "expire after a configurable time (default 7 days)". */
  public static final int DEFAULT_PARTIAL_EXPIRY_HOURS = 168;
  /**
   * How long a usage change sent to quota-service may wait for its answer; the request that made
   * the change waits as long, so this stays well below the gateway's wait for storage (30 s).
   */
  public static final int DEFAULT_ADJUST_TIMEOUT_MILLIS = 10_000;

  private final Path dataDir;
  private final int maxHandlesPerNode;
  private final int maxHandlesPerAccount;
  private final int maxPartialsPerAccount;
  private final int maxEntriesPerAccount;
  private final int handleIdleSeconds;
  private final int handleLeaseSeconds;
  private final int partialExpiryHours;
  private final int adjustTimeoutMillis;

  public StorageOptions(JsonObject config) {
    this.dataDir = Path.of(config.getString("data", DEFAULT_DATA));
    this.maxHandlesPerNode = positive(config, "maxHandlesPerNode", DEFAULT_MAX_HANDLES_PER_NODE);
    this.maxHandlesPerAccount = positive(config, "maxHandlesPerAccount", DEFAULT_MAX_HANDLES_PER_ACCOUNT);
    this.maxPartialsPerAccount = positive(config, "maxPartialsPerAccount", DEFAULT_MAX_PARTIALS_PER_ACCOUNT);
    this.maxEntriesPerAccount = positive(config, "maxEntriesPerAccount", DEFAULT_MAX_ENTRIES_PER_ACCOUNT);
    this.handleIdleSeconds = positive(config, "handleIdleSeconds", DEFAULT_HANDLE_IDLE_SECONDS);
    this.handleLeaseSeconds = positive(config, "handleLeaseSeconds", DEFAULT_HANDLE_LEASE_SECONDS);
    this.partialExpiryHours = positive(config, "partialExpiryHours", DEFAULT_PARTIAL_EXPIRY_HOURS);
    this.adjustTimeoutMillis = positive(config, "adjustTimeoutMillis", DEFAULT_ADJUST_TIMEOUT_MILLIS);
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The directory that is the virtual {@code /}. */
  public Path filesDir() {
    return dataDir.resolve(FILES_DIR);
  }

  /** Partial uploads and their metadata. */
  public Path partialDir() {
    return dataDir.resolve(PARTIAL_DIR);
  }

  /** Stored digests of published files. */
  public Path digestsDir() {
    return dataDir.resolve(DIGESTS_DIR);
  }

  public int maxHandlesPerNode() {
    return maxHandlesPerNode;
  }

  public int maxHandlesPerAccount() {
    return maxHandlesPerAccount;
  }

  public int maxPartialsPerAccount() {
    return maxPartialsPerAccount;
  }

  public int maxEntriesPerAccount() {
    return maxEntriesPerAccount;
  }

  public int handleIdleSeconds() {
    return handleIdleSeconds;
  }

  public int handleLeaseSeconds() {
    return handleLeaseSeconds;
  }

  public int partialExpiryHours() {
    return partialExpiryHours;
  }

  public int adjustTimeoutMillis() {
    return adjustTimeoutMillis;
  }

  /** A whole number above 0, as a JSON number or (from environment config stores) its text. */
  private static int positive(JsonObject config, String key, int fallback) {
    Object raw = config.getValue(key);
    if (raw == null) {
      return fallback;
    }
    long value;
    try {
      value = raw instanceof Number n ? n.longValue() : Long.parseLong(raw.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number: " + raw);
    }
    if (value < 1 || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " must be 1.." + Integer.MAX_VALUE + ": " + value);
    }
    return (int) value;
  }
}
