package dev.ferry.gateway;

/**
 * The answer to one command: the reply frame's {@code data}, and whether the server closes the
 * connection once it is written (logout, too many failed logins). The reply's {@code cmd} is
 * always the command it answers (PROTOCOL.md s1), so it is not carried here.
 */
public record Reply(String data, boolean close) {

  public static Reply of(String data) {
    return new Reply(data, false);
  }

  public static Reply closing(String data) {
    return new Reply(data, true);
  }
}
