package dev.ferry.client;

/** No usable session: connecting, TLS, the server certificate, the greeting or the login failed, or the connection was lost. */
public class ConnectionException extends FerryException {

  public ConnectionException(String key, Object... args) {
    super(key, args, null);
  }

  public ConnectionException(Throwable cause, String key, Object... args) {
    super(key, args, cause);
  }

  @Override
  public int exitCode() {
    return ExitCode.CONNECTION;
  }
}
