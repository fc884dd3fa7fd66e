package dev.ferry.protocol;

/**
 * Reply {@code data} strings, word for word from PROTOCOL.md (the Chinese ones come from the
 * seed and are kept as they are).
 */
public final class Replies {

  /** No permission: a path outside the caller's home, or an admin command from a user. */
  public static final String NO_PERMISSION = "没有访问权限!";
  /** Path does not exist. */
  public static final String NO_SUCH_PATH = "路径不存在!";
  public static final String FILE_NOT_EXISTS = "file_not_exists";
  public static final String NOT_LOGGED_IN = "NOT_LOGGED_IN";
  public static final String UNKNOWN_COMMAND = "UNKNOWN_COMMAND";
  public static final String BAD_FRAME = "BAD_FRAME";
  public static final String BAD_NAME = "BAD_NAME";
  public static final String ALREADY_EXISTS = "ALREADY_EXISTS";
  public static final String NOT_EMPTY = "NOT_EMPTY";
  public static final String NOT_A_DIRECTORY = "NOT_A_DIRECTORY";
  public static final String WEAK_PASSWORD = "WEAK_PASSWORD";
  /** Extension: the {@code data} of a command does not have the fields the command takes. */
  public static final String BAD_ARGUMENTS = "BAD_ARGUMENTS";
  public static final String OK = "OK";
  public static final String BYE = "BYE";
  /** Greeting data: product and protocol version. */
  public static final String HELLO = "FERRY*1";

  /** Transfer words (PROTOCOL.md sections 4 and 5). */
  public static final String READY = "READY";
  public static final String NOT_READY = "NOT_READY";
  public static final String SUCCESS = "SUCCESS";
  /** The seed's spelling of a failed upload, kept word for word. */
  public static final String FAILE = "FAILE";
  public static final String ACK = "ACK";
  public static final String ABORT = "ABORT";
  public static final String ABORTED = "ABORTED";
  public static final String BAD_OFFSET = "BAD_OFFSET";
  public static final String FILE_ALREADY_EXISTS = "FILE_ALREADY_EXISTS";
  public static final String CHECKSUM_MISMATCH = "CHECKSUM_MISMATCH";
  /**
   * Extension: {@code LATER} in an upload's checksum field, the checksum then coming in an
   * {@code uploading} frame {@code SHA256*<hex>} after the chunks (PROTOCOL.md, Upload).
   */
  public static final String LATER = "LATER";
  public static final String SHA256 = "SHA256";
  /** Reasons after {@code NOT_READY*}. */
  public static final String QUOTA_EXCEEDED = "QUOTA_EXCEEDED";
  /** Extension: the home holds its most files and directories; answers mkdir, and upload after {@code NOT_READY*}. */
  public static final String TOO_MANY_ENTRIES = "TOO_MANY_ENTRIES";
  public static final String NO_PERMISSION_REASON = "NO_PERMISSION";
  public static final String NO_SUCH_DIR = "NO_SUCH_DIR";
  public static final String IS_A_DIRECTORY = "IS_A_DIRECTORY";
  public static final String BUSY = "BUSY";

  /**
   * Extension: reasons after {@code BUSY*} when the server refuses for load, not for the request
   * itself; the client may try again later. On connect, in an {@code error} frame sent instead of
   * the greeting: too many connections on this gateway, not logged in, or from one address.
   */
  public static final String BUSY_CONNECTIONS = "CONNECTIONS";
  public static final String BUSY_UNAUTHENTICATED = "UNAUTHENTICATED";
  public static final String BUSY_ADDRESS = "ADDRESS";
  /** On connect or mid-frame before login: the memory for frames being received is spent. */
  public static final String BUSY_MEMORY = "MEMORY";
  /** As a login answer: password hashing is saturated, failed logins from this address are over their rate, or the account has its most sessions. */
  public static final String BUSY_HASHING = "HASHING";
  public static final String BUSY_RATE_LIMITED = "RATE_LIMITED";
  public static final String BUSY_SESSIONS = "SESSIONS";
  /** Any answer: the account database of a cluster cannot be reached now; nothing was done. */
  public static final String BUSY_UNAVAILABLE = "UNAVAILABLE";

  /** Login answers (the seed's codes). */
  public static final String LOGIN_NO_SUCH_ACCOUNT = "0";
  public static final String LOGIN_OK = "1";
  public static final String LOGIN_BAD_CREDENTIALS = "2";
  public static final String LOGIN_LOCKED = "9";

  /**
   * Extension: the two answers of {@code list}, {@code MORE*<cursor>*<listing>} (more pages
   * follow: ask again with {@code <path>*<cursor>}) and {@code LAST*<listing>}.
   */
  public static final String LIST_MORE = "MORE";
  public static final String LIST_LAST = "LAST";

  /** Field separator inside {@code data}. */
  public static final String SEP = "*";

  private Replies() {
  }

  /** Joins fields with the protocol's {@code *} separator. */
  public static String join(Object... fields) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append(SEP);
      }
      sb.append(fields[i]);
    }
    return sb.toString();
  }
}
