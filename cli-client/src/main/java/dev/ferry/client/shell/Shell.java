package dev.ferry.client.shell;

import dev.ferry.client.ExitCode;
import dev.ferry.client.FerryException;
import dev.ferry.client.Messages;
import dev.ferry.client.Prompter;
import dev.ferry.client.UsageException;
import dev.ferry.client.command.CommandContext;
import dev.ferry.client.command.CommandTable;
import dev.ferry.client.command.RemoteSession;
import dev.ferry.client.command.ShellCommand;
import dev.ferry.client.transfer.LocalChecksums;
import dev.ferry.client.format.SafeText;

import java.io.PrintStream;
import java.util.List;

/**
 * The interactive shell: reads a line, runs the command it names, until {@code exit} or the end
 * of input. On a terminal a refused command is reported and the shell goes on. Reading a
 * script, the shell stops at the first failure and exits with its code (a failed {@code cd}
 * must not let the {@code rm} after it act elsewhere), unless the line starts with {@code -}.
 */
public final class Shell {

  private static final String IGNORE_FAILURE = "-";
  private static final String COMMENT = "#";

  private final CommandTable commands;
  private final RemoteSession session;
  private final Prompter prompter;
  private final PrintStream out;
  private final PrintStream err;
  private final Messages messages;
  private final LocalChecksums checksums;

  public Shell(CommandTable commands, RemoteSession session, Prompter prompter, PrintStream out, PrintStream err,
               Messages messages) {
    this(commands, session, prompter, out, err, messages, LocalChecksums.in(null));
  }

  public Shell(CommandTable commands, RemoteSession session, Prompter prompter, PrintStream out, PrintStream err,
               Messages messages, LocalChecksums checksums) {
    this.checksums = checksums;
    this.commands = commands;
    this.session = session;
    this.prompter = prompter;
    this.out = out;
    this.err = err;
    this.messages = messages;
  }

  /** Runs until {@code exit} or the end of input; returns the exit code of the process. */
  public int run() {
    while (true) {
      String line = prompter.readLine(prompt());
      if (line == null) {
        return ExitCode.OK;
      }
      String text = line.strip();
      if (text.isEmpty() || text.startsWith(COMMENT)) {
        continue;
      }
      boolean ignoreFailure = text.startsWith(IGNORE_FAILURE);
      if (ignoreFailure) {
        text = text.substring(IGNORE_FAILURE.length());
      }
      try {
        if (!execute(text)) {
          return ExitCode.OK;
        }
      } catch (FerryException e) {
        err.println(messages.get("error.line", e.describe(messages)));
        if (e.exitCode() == ExitCode.CONNECTION) {
          return e.exitCode();
        }
        if (!prompter.interactive() && !ignoreFailure) {
          return e.exitCode();
        }
      }
      out.flush();
    }
  }

  /** {@code user@host:cwd> } */
  String prompt() {
    return session.account() + "@" + session.target().host() + ":" + SafeText.of(session.cwd()) + "> ";
  }

  /** Runs one line; false when it asks to leave the shell. */
  private boolean execute(String text) throws FerryException {
    List<String> words = Words.split(text);
    if (words.isEmpty()) {
      return true;
    }
    ShellCommand command = commands.find(words.get(0))
      .orElseThrow(() -> new UsageException("command.unknown-in-shell", words.get(0)));
    List<String> args = words.subList(1, words.size());
    command.checkArguments(args);
    if (command.form() == ShellCommand.Form.SESSION) {
      return false;
    }
    command.action().run(new CommandContext(session, prompter, out, err, messages, commands, checksums), args);
    return true;
  }
}
