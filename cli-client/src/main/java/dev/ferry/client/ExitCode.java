package dev.ferry.client;

/** The exit codes of the {@code ferry} command, documented in its usage text. */
public final class ExitCode {

  /** Everything asked for was done. */
  public static final int OK = 0;
  /**
   * The server refused a command (no permission, no such path, quota, ...), or a transfer failed
   * (checksum mismatch, a local file that cannot be read or written).
   */
  public static final int REFUSED = 1;
  /** The command line (or a shell line) was wrong: nothing was sent for it. */
  public static final int USAGE = 2;
  /** No usable session: cannot connect, TLS or certificate failure, login refused, connection lost. */
  public static final int CONNECTION = 3;
  /** A transfer was stopped with Ctrl-C (128 + SIGINT, as shells report it); running it again resumes it. */
  public static final int INTERRUPTED = 130;

  private ExitCode() {
  }
}
