package dev.ferry.gateway;

import dev.ferry.protocol.Frame;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's settings, read from the flat deployment config (vertx-mqtt style: every
 * setting has a named default). Values may arrive as JSON numbers and booleans or, from
 * environment-variable config stores, as their text.
 */
public final class GatewayOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 2121;
  public static final boolean DEFAULT_TLS = true;
  /** OpenSSL where its native library loads (a fraction of the JDK engine's CPU per byte), else the JDK's. */
  public static final String DEFAULT_TLS_ENGINE = "openssl";
  public static final int DEFAULT_MAX_PAYLOAD = Frame.DEFAULT_MAX_PAYLOAD;
  public static final int DEFAULT_LOGIN_TIMEOUT_SECONDS = 30;
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 900;
  /**
   * A client that began a frame and stops sending it holds its share of the memory every
   * connection shares (transfer memory for a chunk, frame memory for a header); after this long
   * without a byte of it, its connection is closed.
   */
  public static final int DEFAULT_FRAME_STALL_SECONDS = 30;
  public static final int DEFAULT_MAX_LOGIN_FAILURES_PER_CONNECTION = 3;
  public static final int DEFAULT_TOKEN_TTL_SECONDS = 900;
  /** PROTOCOL.md s4: bytes sent but not yet acknowledged, "a server setting, default 8 MiB". */
  public static final int DEFAULT_WINDOW = 8 << 20;
  /**
   * File data all transfers of one gateway may hold at once: 16 MiB, two full windows. Each
   * chunk briefly exists in a few copies (event bus, frame encoding, TLS), so the heap it costs
   * is a few times this; measured to keep 64 clients within a 256 MiB heap.
   */
  public static final int DEFAULT_TRANSFER_MEMORY = 16 << 20;
  /** The share of the transfer memory one connection may hold, so a few cannot hold it all. */
  public static final int DEFAULT_TRANSFER_MEMORY_PER_CONNECTION = 4 << 20;
  /** Gateway verticles per process; 0 = one per available processor, each on its own event loop. */
  public static final int DEFAULT_GATEWAY_INSTANCES = 0;
  /** Connections of one gateway process at once, logged in or not. */
  public static final int DEFAULT_MAX_CONNECTIONS = 12_000;
  /** Connections not (yet) logged in at once: each costs a TLS handshake and some memory to a stranger. */
  public static final int DEFAULT_MAX_UNAUTHENTICATED_CONNECTIONS = 1_000;
  /** Connections from one client IP address at once. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 100;
  /** Logged-in sessions of one account on one gateway at once. */
  public static final int DEFAULT_MAX_SESSIONS_PER_ACCOUNT = 64;
  /** The largest header accepted before login: a login frame is a few hundred bytes. */
  public static final int DEFAULT_MAX_LOGIN_HEADER = 4096;
  /** Before login, a connection that does not finish a frame it began within this long (or its TLS handshake) is closed. */
  public static final int DEFAULT_LOGIN_STALL_SECONDS = 10;
  /** Bytes of frame headers being received, every connection together. */
  public static final int DEFAULT_FRAME_MEMORY = 8 << 20;

  private final String host;
  private final int port;
  private final boolean tls;
  private final String tlsCertPath;
  private final String tlsKeyPath;
  private final String tlsEngine;
  private final int maxPayload;
  private final int loginTimeoutSeconds;
  private final int idleTimeoutSeconds;
  private final int frameStallSeconds;
  private final int maxLoginFailuresPerConnection;
  private final int tokenTtlSeconds;
  private final int window;
  private final int transferMemory;
  private final int transferMemoryPerConnection;
  private final int gatewayInstances;
  private final int maxConnections;
  private final int maxUnauthenticatedConnections;
  private final int maxConnectionsPerAddress;
  private final int maxSessionsPerAccount;
  private final int maxLoginHeader;
  private final int loginStallSeconds;
  private final int frameMemory;

  public GatewayOptions() {
    this(new JsonObject());
  }

  /**
   * @throws IllegalArgumentException if a value is out of range or TLS is on without PEM paths
   */
  public GatewayOptions(JsonObject config) {
    JsonObject c = config == null ? new JsonObject() : config;
    host = c.getString("host", DEFAULT_HOST);
    port = intValue(c, "port", DEFAULT_PORT, 0, 65535);
    tls = boolValue(c, "tls", DEFAULT_TLS);
    tlsCertPath = c.getString("tlsCertPath");
    tlsKeyPath = c.getString("tlsKeyPath");
    tlsEngine = c.getString("tlsEngine", DEFAULT_TLS_ENGINE);
    if (!tlsEngine.equals("openssl") && !tlsEngine.equals("jdk")) {
      throw new IllegalArgumentException("tlsEngine must be openssl or jdk, got " + tlsEngine);
    }
    // PROTOCOL.md s1: the max payload is a server setting, never above 16 MiB.
    maxPayload = intValue(c, "maxPayload", DEFAULT_MAX_PAYLOAD, 0, Frame.MAX_PAYLOAD_CEILING);
    loginTimeoutSeconds = intValue(c, "loginTimeoutSeconds", DEFAULT_LOGIN_TIMEOUT_SECONDS, 1, Integer.MAX_VALUE);
    idleTimeoutSeconds = intValue(c, "idleTimeoutSeconds", DEFAULT_IDLE_TIMEOUT_SECONDS, 1, Integer.MAX_VALUE);
    frameStallSeconds = intValue(c, "frameStallSeconds", DEFAULT_FRAME_STALL_SECONDS, 1, Integer.MAX_VALUE);
    maxLoginFailuresPerConnection = intValue(c, "maxLoginFailuresPerConnection",
      DEFAULT_MAX_LOGIN_FAILURES_PER_CONNECTION, 1, Integer.MAX_VALUE);
    tokenTtlSeconds = intValue(c, "tokenTtlSeconds", DEFAULT_TOKEN_TTL_SECONDS, 1, Integer.MAX_VALUE);
    // At least one chunk must fit in the window, or a transfer could never move a byte.
    window = intValue(c, "window", Math.max(DEFAULT_WINDOW, maxPayload), Math.max(1, maxPayload), Integer.MAX_VALUE);
    transferMemory = intValue(c, "transferMemory", DEFAULT_TRANSFER_MEMORY, 1, Integer.MAX_VALUE);
    transferMemoryPerConnection = intValue(c, "transferMemoryPerConnection", DEFAULT_TRANSFER_MEMORY_PER_CONNECTION,
      1, Integer.MAX_VALUE);
    gatewayInstances = intValue(c, "gatewayInstances", DEFAULT_GATEWAY_INSTANCES, 0, 1024);
    maxConnections = intValue(c, "maxConnections", DEFAULT_MAX_CONNECTIONS, 1, Integer.MAX_VALUE);
    maxUnauthenticatedConnections = intValue(c, "maxUnauthenticatedConnections", DEFAULT_MAX_UNAUTHENTICATED_CONNECTIONS,
      1, Integer.MAX_VALUE);
    maxConnectionsPerAddress = intValue(c, "maxConnectionsPerAddress", DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, 1, Integer.MAX_VALUE);
    maxSessionsPerAccount = intValue(c, "maxSessionsPerAccount", DEFAULT_MAX_SESSIONS_PER_ACCOUNT, 1, Integer.MAX_VALUE);
    maxLoginHeader = intValue(c, "maxLoginHeader", DEFAULT_MAX_LOGIN_HEADER, 64, Frame.MAX_HEADER_LENGTH);
    loginStallSeconds = intValue(c, "loginStallSeconds", DEFAULT_LOGIN_STALL_SECONDS, 1, Integer.MAX_VALUE);
    frameMemory = intValue(c, "frameMemory", DEFAULT_FRAME_MEMORY, Frame.MAX_HEADER_LENGTH, Integer.MAX_VALUE);
    if (tls && (isBlank(tlsCertPath) || isBlank(tlsKeyPath))) {
      throw new IllegalArgumentException("tls is on but tlsCertPath or tlsKeyPath is not set");
    }
  }

  /** Bytes of file data all transfers together may hold in this gateway. */
  public int transferMemory() {
    return transferMemory;
  }

  /**
   * Bytes of file data one connection's transfer may hold in the gateway, at most: the smaller
   * of this share and the window (plus the chunk it is receiving).
   */
  public int transferMemoryPerConnection() {
    return Math.min(transferMemoryPerConnection, window);
  }

  /** Gateway verticle instances to deploy, each on an event loop of its own. */
  public int gatewayInstances() {
    return gatewayInstances > 0 ? gatewayInstances : Runtime.getRuntime().availableProcessors();
  }

  public int maxConnections() {
    return maxConnections;
  }

  public int maxUnauthenticatedConnections() {
    return maxUnauthenticatedConnections;
  }

  public int maxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  public int maxSessionsPerAccount() {
    return maxSessionsPerAccount;
  }

  /** The largest frame header accepted from a connection that has not logged in. */
  public int maxLoginHeader() {
    return maxLoginHeader;
  }

  public int loginStallSeconds() {
    return loginStallSeconds;
  }

  /** Bytes of frame headers all connections of the gateway may be receiving at once. */
  public int frameMemory() {
    return frameMemory;
  }

  /** {@code openssl} or {@code jdk}: the TLS implementation the gateway prefers. */
  public String tlsEngine() {
    return tlsEngine;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public boolean tls() {
    return tls;
  }

  public String tlsCertPath() {
    return tlsCertPath;
  }

  public String tlsKeyPath() {
    return tlsKeyPath;
  }

  public int maxPayload() {
    return maxPayload;
  }

  public int loginTimeoutSeconds() {
    return loginTimeoutSeconds;
  }

  public int idleTimeoutSeconds() {
    return idleTimeoutSeconds;
  }

  public int frameStallSeconds() {
    return frameStallSeconds;
  }

  public int maxLoginFailuresPerConnection() {
    return maxLoginFailuresPerConnection;
  }

  public int tokenTtlSeconds() {
    return tokenTtlSeconds;
  }

  /** The flow-control window of transfers, in bytes (PROTOCOL.md s4 and s5); never below the max payload. */
  public int window() {
    return window;
  }

  private static int intValue(JsonObject c, String key, int fallback, int min, int max) {
    Object raw = c.getValue(key);
    long value;
    if (raw == null) {
      return fallback;
    } else if (raw instanceof Number n) {
      value = n.longValue();
    } else {
      try {
        value = Long.parseLong(raw.toString().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be a number: " + raw);
      }
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + " must be " + min + ".." + max + ": " + value);
    }
    return (int) value;
  }

  private static boolean boolValue(JsonObject c, String key, boolean fallback) {
    Object raw = c.getValue(key);
    if (raw == null) {
      return fallback;
    }
    if (raw instanceof Boolean b) {
      return b;
    }
    String text = raw.toString().trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException(key + " must be true or false: " + raw);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
