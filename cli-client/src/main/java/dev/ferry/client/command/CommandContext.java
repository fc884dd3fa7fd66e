package dev.ferry.client.command;

import dev.ferry.client.Messages;
import dev.ferry.client.Prompter;
import dev.ferry.client.transfer.LocalChecksums;

import java.io.PrintStream;

/**
 * What a command works with.
 *
 * @param session  the logged-in session; null for {@link ShellCommand.Form#LOCAL} commands
 * @param prompter where secrets and confirmations are read from
 * @param out      results
 * @param err      notices and errors
 * @param messages the user's language
 * @param commands all commands, for {@code help}
 * @param checksums the SHA-256 of local files already hashed, in the user's config directory
 */
public record CommandContext(RemoteSession session, Prompter prompter, PrintStream out, PrintStream err,
                             Messages messages, CommandTable commands, LocalChecksums checksums) {

  /** A context that keeps no checksums. */
  public CommandContext(RemoteSession session, Prompter prompter, PrintStream out, PrintStream err, Messages messages,
                        CommandTable commands) {
    this(session, prompter, out, err, messages, commands, LocalChecksums.in(null));
  }

  /**
   * Whether a person reads the output on a terminal: then usage is drawn as a bar, as transfers
   * draw their progress. Output to a pipe or a file gets plain lines that scripts can read. (A
   * terminal prompter is used only when stdin and stdout are both a terminal.)
   */
  public boolean onTerminal() {
    return prompter != null && prompter.interactive();
  }
}
