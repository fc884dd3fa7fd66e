package dev.ferry.client.command;

import dev.ferry.client.FerryException;
import dev.ferry.client.Messages;
import dev.ferry.client.UsageException;

import java.util.List;

/**
 * One command word of the shell and of one-shot use, e.g. {@code mkdir path}. Its usage and
 * help texts are the messages {@code command.<name>.usage} and {@code command.<name>.help}.
 *
 * @param name    the word shown in help
 * @param aliases other words for it ({@code view} for {@code ls})
 * @param minArgs fewest arguments
 * @param maxArgs most arguments
 * @param form    how a one-shot invocation names the server
 * @param check   what is checked of the arguments before anything is sent (beyond their number)
 * @param action  what it does
 */
public record ShellCommand(String name, List<String> aliases, int minArgs, int maxArgs, Form form, ArgumentCheck check,
                           Action action) {

  /** How a one-shot invocation names the server, and whether the command needs one. */
  public enum Form {
    /** The first argument is {@code [user@]host[:port]:path}; the path is the first argument. Remote names complete. */
    PATH,
    /** The first argument is {@code [user@]host[:port]}; the command's own arguments follow. */
    SERVER,
    /**
     * {@code get}: options anywhere; the first operand is {@code [user@]host[:port]:path}, further
     * operands with the same prefix are remote too, and one local operand may end the list.
     * Remote names complete.
     */
    DOWNLOAD,
    /** {@code put}: options anywhere; local operands, then {@code [user@]host[:port][:dir]} last. */
    UPLOAD,
    /** Needs no server ({@code help}). */
    LOCAL,
    /** Ends the shell; meaningless one-shot. */
    SESSION
  }

  @FunctionalInterface
  public interface Action {
    void run(CommandContext context, List<String> args) throws FerryException;
  }

  /** Checks arguments without a server: a one-shot command with bad ones does not even connect. */
  @FunctionalInterface
  public interface ArgumentCheck {
    void check(List<String> args) throws UsageException;
  }

  public ShellCommand {
    aliases = List.copyOf(aliases);
  }

  /** A command whose arguments need no check beyond their number. */
  public ShellCommand(String name, List<String> aliases, int minArgs, int maxArgs, Form form, Action action) {
    this(name, aliases, minArgs, maxArgs, form, args -> { }, action);
  }

  public boolean answersTo(String word) {
    return name.equals(word) || aliases.contains(word);
  }

  public String usageKey() {
    return "command." + name + ".usage";
  }

  public String helpKey() {
    return "command." + name + ".help";
  }

  /** The number of arguments, then {@link #check}. */
  public void checkArguments(List<String> args) throws UsageException {
    if (args.size() < minArgs || args.size() > maxArgs) {
      throw usage();
    }
    check.check(args);
  }

  /** The usage error for this command: {@code usage: mkdir PATH}. */
  public UsageException usage() {
    return new UsageException("usage.command", new Messages.Ref(usageKey()));
  }
}
