package dev.ferry.client.transfer;

import dev.ferry.client.ExitCode;
import dev.ferry.client.FerryException;

/**
 * A transfer failed for a reason the user is told in plain words: a checksum mismatch, a file
 * that exists, a local file that cannot be read or written, a remote directory given without
 * {@code -r}. The session stays usable.
 */
public final class TransferException extends FerryException {

  public TransferException(String key, Object... args) {
    super(key, args, null);
  }

  public TransferException(Throwable cause, String key, Object... args) {
    super(key, args, cause);
  }

  @Override
  public int exitCode() {
    return ExitCode.REFUSED;
  }
}
