package dev.ferry.client;

/** A wrong command line or shell line; nothing was sent to the server for it. */
public final class UsageException extends FerryException {

  public UsageException(String key, Object... args) {
    super(key, args, null);
  }

  @Override
  public int exitCode() {
    return ExitCode.USAGE;
  }
}
