package dev.ferry.client;

import dev.ferry.client.format.SafeText;

/** The server answered a command with something other than success; the session stays usable. */
public final class RefusedException extends FerryException {

  private final String reply;

  /** @param reply the {@code data} the server answered with, word for word */
  public RefusedException(String reply) {
    super("refused", new Object[] {SafeText.of(reply)}, null);
    this.reply = reply;
  }

  public String reply() {
    return reply;
  }

  @Override
  public int exitCode() {
    return ExitCode.REFUSED;
  }

  @Override
  public String describe(Messages messages) {
    return ReplyMeaning.describe(messages, reply);
  }
}
