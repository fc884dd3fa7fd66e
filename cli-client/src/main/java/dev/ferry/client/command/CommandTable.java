package dev.ferry.client.command;

import dev.ferry.client.Messages;
import dev.ferry.client.UsageException;
import dev.ferry.client.format.TextTable;
import dev.ferry.client.transfer.GetCommand;
import dev.ferry.client.transfer.PutCommand;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static dev.ferry.client.command.ShellCommand.Form.LOCAL;
import static dev.ferry.client.command.ShellCommand.Form.SESSION;

/**
 * Every command word, registered in one place. The transfer commands ({@code get}, {@code put},
 * with progress and resume) live in {@code dev.ferry.client.transfer} and use
 * {@link RemoteSession#connection()} for their multi-frame exchanges.
 */
public final class CommandTable {

  public static final String HELP = "help";
  public static final String EXIT = "exit";

  private final List<ShellCommand> commands;

  private CommandTable(List<ShellCommand> commands) {
    this.commands = List.copyOf(commands);
  }

  public static CommandTable standard() {
    List<ShellCommand> all = new ArrayList<>();
    all.addAll(FileCommands.all());
    all.add(GetCommand.command());
    all.add(PutCommand.command());
    all.addAll(AccountCommands.all());
    all.add(new ShellCommand(HELP, List.of(), 0, 1, LOCAL, CommandTable::help));
    all.add(new ShellCommand(EXIT, List.of("quit", "logout"), 0, 0, SESSION, (c, a) -> { }));
    return new CommandTable(all);
  }

  public Optional<ShellCommand> find(String word) {
    return commands.stream().filter(c -> c.answersTo(word)).findFirst();
  }

  public List<ShellCommand> commands() {
    return commands;
  }

  /** Every word that names a command, aliases included, sorted: for completion. */
  public List<String> words() {
    List<String> words = new ArrayList<>();
    for (ShellCommand c : commands) {
      words.add(c.name());
      words.addAll(c.aliases());
    }
    Collections.sort(words);
    return words;
  }

  /** {@code help}: every command with its usage and what it does; {@code help <command>}: that one. */
  private static void help(CommandContext c, List<String> args) throws UsageException {
    if (!args.isEmpty()) {
      ShellCommand command = c.commands().find(args.get(0))
        .orElseThrow(() -> new UsageException("command.unknown", args.get(0)));
      c.out().print(describe(List.of(command), c.messages()));
      return;
    }
    c.out().print(describe(c.commands().commands(), c.messages()));
  }

  /** A two-column table: usage, then what it does (with aliases). */
  public static String describe(List<ShellCommand> commands, Messages messages) {
    TextTable table = new TextTable(false, false);
    for (ShellCommand command : commands) {
      String help = messages.get(command.helpKey());
      if (!command.aliases().isEmpty()) {
        help += " " + messages.get("help.aliases", String.join(", ", command.aliases()));
      }
      table.row("  " + messages.get(command.usageKey()), help);
    }
    return table.render();
  }
}
