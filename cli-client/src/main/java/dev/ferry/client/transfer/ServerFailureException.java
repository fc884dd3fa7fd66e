package dev.ferry.client.transfer;

import dev.ferry.client.ExitCode;
import dev.ferry.client.FerryException;
import dev.ferry.client.format.SafeText;

/**
 * The server ended a transfer, or refused to open one, for a reason of its own that another try
 * may not meet: the storage node holding the transfer went away (issue 5). The gateway then
 * answers a download with an {@code ABORTED*<n>} the client did not ask for, an upload with
 * {@code FAILE*<stored>*ERROR}, and an open routed to the node that just died with {@code ERROR}.
 * The connection stays in step, so the {@link Reconnector} tries the step again on it, after
 * its usual wait and within the same {@code --retries}: a download resumes from its
 * {@code .part}, an upload from the server's {@code READY} offset (its partial data is kept).
 */
public final class ServerFailureException extends FerryException {

  /** docs/PROTOCOL.md: "ERROR answers a command the server could not complete for an internal reason." */
  public static final String ERROR = "ERROR";

  private final String answer;

  /** @param answer the server's answer as the user may see it, e.g. {@code download ABORTED*1048576} */
  public ServerFailureException(String answer) {
    super("transfer.server-failed", new Object[] {SafeText.of(answer)}, null);
    this.answer = answer;
  }

  public String answer() {
    return answer;
  }

  @Override
  public int exitCode() {
    return ExitCode.REFUSED;
  }
}
