package dev.ferry.client.command;

import dev.ferry.client.UsageException;
import dev.ferry.protocol.Replies;

/** Passwords typed in the shell: never echoed on a terminal, confirmed when new. */
final class Secrets {

  private Secrets() {
  }

  /** Asks once; from a pipe this is the next line. */
  static String ask(CommandContext c, String prompt) throws UsageException {
    String secret = c.prompter().readSecret(prompt);
    if (secret == null) {
      throw new UsageException("password.missing");
    }
    return secret;
  }

  /** A new password: asked twice on a terminal (a typo would lock the account out), once from a pipe. */
  static String newPassword(CommandContext c, String account) throws UsageException {
    String first = ask(c, c.messages().get("passwd.new", account));
    if (c.prompter().interactive() && !first.equals(ask(c, c.messages().get("passwd.again")))) {
      throw new UsageException("password.mismatch");
    }
    return first;
  }

  /**
   * A user's {@code passwd} sends {@code <old>*<new>} and the server ends the old password at
   * the first {@code *} (docs/PROTOCOL.md), so an old password holding one cannot be sent. New
   * passwords, and those of {@code useradd}, may hold {@code *}.
   */
  static String checkOldPassword(String password) throws UsageException {
    if (password.contains(Replies.SEP)) {
      throw new UsageException("password.has-separator");
    }
    return password;
  }
}
