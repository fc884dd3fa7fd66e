package dev.ferry.gateway;

/**
 * The answer to one command: the reply frame's {@code data} ({@code null}: no reply at all),
 * whether the server closes the connection once it is written (logout, too many failed logins),
 * and the transfer the command opened, which starts once the reply is written. The reply's
 * {@code cmd} is always the command it answers (PROTOCOL.md s1), so it is not carried here.
 */
public record Reply(String data, boolean close, Transfer opens) {

  /** Nothing is sent: a frame of a transfer that is already over (see {@link Transfer}). */
  public static final Reply NONE = new Reply(null, false, null);

  public static Reply of(String data) {
    return new Reply(data, false, null);
  }

  public static Reply closing(String data) {
    return new Reply(data, true, null);
  }

  /** {@code data} answers a download or upload command, and {@code transfer} runs from then on. */
  public static Reply opening(String data, Transfer transfer) {
    return new Reply(data, false, GatewayMetrics.metered(transfer));
  }

  public boolean isNone() {
    return data == null;
  }
}
