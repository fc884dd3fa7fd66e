package dev.ferry.server;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * Every setting of a Ferry server: its config key, its environment variable and its built-in
 * default. Precedence, lowest first: these defaults, the YAML file given with {@code --config},
 * the environment. The README's settings table lists exactly these.
 */
public enum Setting {
  HOST("host", "127.0.0.1", "address the gateway listens on"),
  PORT("port", 2121, "gateway TCP port; 0 picks a free one"),
  DATA("data", "./data", "data directory: accounts, limits, files, partial uploads, generated certificate"),
  TLS("tls", true, "TLS on the gateway port (implicit, from the first byte)"),
  TLS_CERT_PATH("tlsCertPath", null, "PEM certificate; when unset with tls on, one is generated under <data>/tls"),
  TLS_KEY_PATH("tlsKeyPath", null, "PEM private key (PKCS#8) of that certificate"),
  TLS_ENGINE("tlsEngine", "openssl", "TLS implementation: openssl (BoringSSL, falls back to jdk where it cannot load) or jdk"),
  ADMIN_PASSWORD("adminPassword", null, "password of the account admin created on first start; generated and printed once when unset"),
  ADMIN_PASSWORD_PATH("adminPasswordPath", null,
    "file holding that password instead, read on first start only (a mounted Secret to delete afterwards)"),
  ACCOUNT_STORE("accountStore", "file",
    "where accounts, quota limits and lockouts live: file (users.json, quota.json in data) or postgres (databaseUrl)"),
  DATABASE_URL("databaseUrl", null, "with accountStore=postgres: the database, postgresql://USER@HOST:PORT/DB (no password in it)"),
  DATABASE_PASSWORD("databasePassword", null, "the database password; give it in the environment, never on a command line"),
  DATABASE_PASSWORD_FILE("databasePasswordFile", null, "a file holding the database password instead (a mounted Secret)"),
  DATABASE_SSL_MODE("databaseSslMode", "prefer",
    "TLS to the database, as libpq: disable, prefer (when offered), require, verify-ca or verify-full (with databaseCaPath)"),
  DATABASE_CA_PATH("databaseCaPath", null, "PEM file of the CA certificates verify-ca and verify-full trust for the database"),
  MAX_PAYLOAD("maxPayload", 1 << 20, "largest frame payload accepted, bytes (at most 16 MiB)"),
  WINDOW("window", 8 << 20, "bytes a transfer may have in flight unacknowledged, each way"),
  TRANSFER_MEMORY("transferMemory", 16 << 20, "bytes of file data all transfers of a gateway may hold at once"),
  TRANSFER_MEMORY_PER_CONNECTION("transferMemoryPerConnection", 4 << 20,
    "bytes of file data one connection's transfer may hold in the gateway (and never more than window)"),
  FRAME_MEMORY("frameMemory", 8 << 20, "bytes of frame headers all connections of a gateway may be receiving at once"),
  MAX_LOGIN_HEADER("maxLoginHeader", 4096, "largest frame header accepted before login, bytes"),
  GATEWAY_INSTANCES("gatewayInstances", 0, "gateway verticles, each on its own event loop; 0 = one per processor"),
  MAX_CONNECTIONS("maxConnections", 12_000, "connections a gateway process holds at once"),
  MAX_UNAUTHENTICATED_CONNECTIONS("maxUnauthenticatedConnections", 1_000, "connections not logged in a gateway process holds at once"),
  MAX_CONNECTIONS_PER_ADDRESS("maxConnectionsPerAddress", 100, "connections from one client IP address at once"),
  MAX_SESSIONS_PER_ACCOUNT("maxSessionsPerAccount", 64, "logged-in sessions of one account on one gateway at once"),
  MAX_HANDLES_PER_NODE("maxHandlesPerNode", 1024, "open transfers a storage node holds at most; more answer BUSY"),
  MAX_HANDLES_PER_ACCOUNT("maxHandlesPerAccount", 64, "open transfers one account holds at most across all storage nodes; more answer BUSY"),
  MAX_PARTIALS_PER_ACCOUNT("maxPartialsPerAccount", 100, "partial uploads one account may have at once; a new one past that answers BUSY"),
  MAX_ENTRIES_PER_ACCOUNT("maxEntriesPerAccount", 100_000, "files and directories one account's home may hold; a new one past that answers TOO_MANY_ENTRIES"),
  HANDLE_IDLE_SECONDS("handleIdleSeconds", 300, "a transfer handle unused that long is closed (partial data kept)"),
  HANDLE_LEASE_SECONDS("handleLeaseSeconds", 60,
    "an open handle's claim on maxHandlesPerAccount lasts that long unless its storage node renews it (a dead node's handles stop counting)"),
  PARTIAL_EXPIRY_HOURS("partialExpiryHours", 168, "partial uploads older than that are deleted"),
  LOGIN_TIMEOUT_SECONDS("loginTimeoutSeconds", 30, "a connection that has not logged in by then is closed"),
  LOGIN_STALL_SECONDS("loginStallSeconds", 10,
    "before login, a connection that does not finish a frame it began within that long is closed (also the TLS handshake timeout)"),
  IDLE_TIMEOUT_SECONDS("idleTimeoutSeconds", 900, "a session without a frame for that long is closed"),
  FRAME_STALL_SECONDS("frameStallSeconds", 30, "a connection that stops sending a frame it began for that long is closed"),
  MAX_LOGIN_FAILURES_PER_CONNECTION("maxLoginFailuresPerConnection", 3, "failed logins after which a connection is closed"),
  LOCKOUT_THRESHOLD("lockoutThreshold", 5, "consecutive failed logins that lock an account"),
  LOCKOUT_SECONDS("lockoutSeconds", 900, "how long such a lock lasts"),
  PBKDF2_ITERATIONS("pbkdf2Iterations", 210_000, "PBKDF2-HMAC-SHA512 iterations of new password hashes"),
  CREDENTIAL_CACHE_SECONDS("credentialCacheSeconds", 300,
    "how long a login that passed a full password verify lets the same password in again without one; 0 = never"),
  SESSION_TICKET_SECONDS("sessionTicketSeconds", 120,
    "how long a session ticket (ticket, ticket_login) lets the same account and role log in on more connections"),
  HASH_THREADS("hashThreads", 0, "threads that hash passwords, apart from file work; 0 = half the processors, at least 1"),
  HASH_QUEUE("hashQueue", 32, "password hashes that may wait for a hashing thread; more answer BUSY"),
  LOGIN_FAILURES_PER_ADDRESS("loginFailuresPerAddress", 30,
    "failed logins one client address may make per minute; beyond that its logins answer BUSY*RATE_LIMITED (0 = no limit)"),
  DEFAULT_QUOTA("defaultQuota", 1L << 30, "quota of accounts without their own limit, bytes (0 = unlimited)"),
  RESERVATION_SECONDS("reservationSeconds", 600, "a quota reservation whose storage node stopped renewing it expires after that"),
  TOKEN_PRIVATE_KEY_PATH("tokenPrivateKeyPath", null,
    "PKCS#8 PEM EC P-256 key signing session tokens; only where auth runs (others refuse to start with it); "
      + "generated under <data>/keys when unset and not clustered"),
  TOKEN_PUBLIC_KEY_PATH("tokenPublicKeyPath", null,
    "PEM public key(s) verifying session tokens, comma-separated files (two during a rotation); required in a cluster"),
  TOKEN_TTL_SECONDS("tokenTtlSeconds", 900, "lifetime of a session token; sessions renew theirs"),
  CLUSTER("cluster", false, "join a Hazelcast cluster (also the --cluster flag)"),
  SERVICES("services", "gateway,sftp,auth,quota,storage", "the services this process runs (also --services LIST)"),
  CLUSTER_HOST("clusterHost", "127.0.0.1", "address Hazelcast and the event bus bind to and announce (in Kubernetes: the pod IP)"),
  CLUSTER_PORT("clusterPort", 5701, "Hazelcast member port"),
  CLUSTER_MEMBERS("clusterMembers", "", "TCP-IP discovery: comma-separated host:port list of members"),
  CLUSTER_KUBERNETES_SERVICE("clusterKubernetesService", "",
    "when set, Kubernetes discovery by DNS lookup of this headless service instead of the member list"),
  EVENT_BUS_PORT("eventBusPort", 5702, "clustered event bus port (0 = any)"),
  CLUSTER_TLS_CERT_PATH("clusterTlsCertPath", null,
    "PEM certificate of this cluster member, issued by the cluster CA; required in a cluster (event bus TLS, member attestation)"),
  CLUSTER_TLS_KEY_PATH("clusterTlsKeyPath", null, "PEM private key of that certificate"),
  CLUSTER_TLS_CA_PATH("clusterTlsCaPath", null, "PEM certificate(s) of the cluster CA: the only members trusted"),
  CLUSTER_SECRET_PATH("clusterSecretPath", null,
    "file holding the cluster's shared secret (at least 32 bytes): Hazelcast admits only members with the same one; required in a cluster"),
  SFTP_HOST("sftpHost", "127.0.0.1", "address the SFTP door listens on"),
  SFTP_PORT("sftpPort", 2222, "SFTP (SSH) port; 0 picks a free one, -1 turns the SFTP door off"),
  SFTP_HOST_KEY_PATH("sftpHostKeyPath", null,
    "an existing SSH host key file the SFTP door uses as it is (every replica the same); unset: one made under <data>/ssh"),
  HTTP_HOST("httpHost", "127.0.0.1", "address of the ops HTTP port"),
  HTTP_PORT("httpPort", 8080, "ops HTTP port: /metrics, /health/live, /health/ready; 0 = OS picks, -1 = off");

  private final String key;
  private final Object defaultValue;
  private final String description;

  Setting(String key, Object defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String key() {
    return key;
  }

  public Object defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** {@code FERRY_} and the key in upper snake case: {@code loginTimeoutSeconds} is {@code FERRY_LOGIN_TIMEOUT_SECONDS}. */
  public String env() {
    return "FERRY_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /** The built-in defaults, as a config object. */
  public static JsonObject defaults() {
    JsonObject json = new JsonObject();
    for (Setting s : values()) {
      if (s.defaultValue != null) {
        json.put(s.key, s.defaultValue);
      }
    }
    return json;
  }

  /**
   * Moves {@code FERRY_*} variables found in {@code merged} onto their keys, converting them to
   * the type of the default.
   */
  public static JsonObject applyEnvironment(JsonObject merged) {
    JsonObject out = merged.copy();
    for (Setting s : values()) {
      Object raw = out.remove(s.env());
      if (raw != null) {
        out.put(s.key, s.convert(String.valueOf(raw)));
      }
    }
    out.fieldNames().removeIf(name -> name.startsWith("FERRY_"));
    return out;
  }

  private Object convert(String text) {
    try {
      if (defaultValue instanceof Boolean) {
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
          throw new IllegalArgumentException();
        }
        return Boolean.parseBoolean(text);
      }
      if (defaultValue instanceof Integer) {
        return Integer.parseInt(text.trim());
      }
      if (defaultValue instanceof Long) {
        return Long.parseLong(text.trim());
      }
      return text;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(env() + "=" + text + " is not a valid " + defaultValue.getClass().getSimpleName().toLowerCase(Locale.ROOT));
    }
  }
}
