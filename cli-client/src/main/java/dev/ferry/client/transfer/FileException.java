package dev.ferry.client.transfer;

import dev.ferry.client.FerryException;
import dev.ferry.client.Messages;
import dev.ferry.client.format.SafeText;

/** A failure about one file of a transfer: {@code docs/a.bin: no such file, or it is a directory}. */
public final class FileException extends FerryException {

  private final String file;
  private final FerryException reason;

  public FileException(String file, FerryException reason) {
    super(reason.key(), reason.args(), reason);
    this.file = file;
    this.reason = reason;
  }

  public FerryException reason() {
    return reason;
  }

  @Override
  public int exitCode() {
    return reason.exitCode();
  }

  @Override
  public String describe(Messages messages) {
    return messages.get("transfer.file", SafeText.of(file), reason.describe(messages));
  }
}
