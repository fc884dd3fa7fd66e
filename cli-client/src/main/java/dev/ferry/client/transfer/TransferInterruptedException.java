package dev.ferry.client.transfer;

import dev.ferry.client.ExitCode;
import dev.ferry.client.FerryException;

/**
 * The user pressed Ctrl-C during a transfer. What had arrived is kept (the local {@code .part}
 * file, the server's partial upload), so running the same command again resumes it.
 */
public final class TransferInterruptedException extends FerryException {

  public TransferInterruptedException(String name) {
    super("transfer.interrupted", new Object[] {name}, null);
  }

  @Override
  public int exitCode() {
    return ExitCode.INTERRUPTED;
  }
}
