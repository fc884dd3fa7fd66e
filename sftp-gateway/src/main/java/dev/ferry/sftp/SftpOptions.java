package dev.ferry.sftp;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the SFTP door, read from the server's config (keys as in the README); the limits
 * that are not settings are named defaults here.
 *
 * @param host            address the SSH server binds ({@code sftpHost})
 * @param port            its port ({@code sftpPort}); 0 picks a free one, -1 turns the door off
 * @param data            the data directory; the host key is kept under {@code <data>/ssh}
 * @param hostKeyPath     an existing host key to use as it is ({@code sftpHostKeyPath}: every
 *                        replica of a cluster shows the same one), or null for the one under {@code data}
 * @param tokenTtlSeconds lifetime of session tokens, renewed once half of it is gone
 */
public record SftpOptions(String host, int port, Path data, Path hostKeyPath, long tokenTtlSeconds) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 2222;
  /** SSH sessions the door holds at once; each SFTP channel runs on a thread of its own. */
  public static final int MAX_SESSIONS = 256;
  /** Channels (so SFTP subsystems and their threads) one session may have open at once. */
  public static final int MAX_CHANNELS_PER_SESSION = 4;
  /** Open file and directory handles one SFTP channel may hold. */
  public static final int MAX_HANDLES_PER_CHANNEL = 32;
  /** Bytes one read request fetches from storage ahead of the client: the memory of an open download handle. */
  public static final int READ_AHEAD_BYTES = 1 << 20;
  /** Bytes of an upload gathered before they go to storage in one write. */
  public static final int WRITE_CHUNK_BYTES = 1 << 20;
  /** Writes of one upload sent to storage and not yet answered: with the chunk, an upload's memory. */
  public static final int WRITES_IN_FLIGHT = 4;
  /** Bytes of file data all SFTP transfers of the door hold at once (read-ahead, upload chunks). */
  public static final long TRANSFER_MEMORY = 256L << 20;
  /** Largest SFTP read or write the door accepts (OpenSSH sends 32 KiB, up to 255 KiB when asked). */
  public static final int MAX_DATA_PACKET = 256 * 1024;
  /** SSH channel window: bytes a client may send on a channel before the door has taken them. */
  public static final long CHANNEL_WINDOW = 2L << 20;
  /** How long a blocking service request of an SFTP thread waits for its answer. */
  public static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(30);
  /** A connection that has not authenticated by then is closed. */
  public static final Duration AUTH_TIMEOUT = Duration.ofSeconds(30);
  /** A session without traffic for that long is closed. */
  public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(15);

  public static final String HOST_KEY = "sftpHost";
  public static final String PORT_KEY = "sftpPort";
  public static final String HOST_KEY_PATH_KEY = "sftpHostKeyPath";

  public SftpOptions(JsonObject config) {
    this(config.getString(HOST_KEY, DEFAULT_HOST), config.getInteger(PORT_KEY, DEFAULT_PORT),
      Path.of(config.getString("data", "./data")),
      config.getString(HOST_KEY_PATH_KEY) == null ? null : Path.of(config.getString(HOST_KEY_PATH_KEY)),
      config.getLong("tokenTtlSeconds", 900L));
  }

  /** Whether the door runs at all ({@code sftpPort=-1} turns it off). */
  public boolean enabled() {
    return port >= 0;
  }
}
