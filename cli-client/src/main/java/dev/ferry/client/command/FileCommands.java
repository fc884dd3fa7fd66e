package dev.ferry.client.command;

import dev.ferry.client.FerryException;
import dev.ferry.client.Messages;
import dev.ferry.client.RefusedException;
import dev.ferry.client.UsageException;
import dev.ferry.client.format.SafeText;
import dev.ferry.client.format.Sizes;
import dev.ferry.client.format.TextTable;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Replies;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;

import static dev.ferry.client.command.ShellCommand.Form.PATH;
import static dev.ferry.client.command.ShellCommand.Form.SERVER;

/** The commands on the file tree (PROTOCOL.md section 3): ls, cd, pwd, mkdir, rm, mv, checksum. */
final class FileCommands {

  private static final DateTimeFormatter MTIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final Pattern CHECKSUM = Pattern.compile("\\d+\\*[0-9a-fA-F]{64}");

  private FileCommands() {
  }

  static List<ShellCommand> all() {
    return List.of(
      new ShellCommand("ls", List.of("view"), 0, 1, PATH, FileCommands::list),
      new ShellCommand("cd", List.of(), 0, 1, PATH, FileCommands::changeDirectory),
      new ShellCommand("pwd", List.of(), 0, 0, SERVER, FileCommands::printWorkingDirectory),
      new ShellCommand("mkdir", List.of(), 1, 1, PATH, (c, a) -> c.session().expectOk(Command.MKDIR, a.get(0))),
      new ShellCommand("rm", List.of(), 1, 1, PATH, (c, a) -> c.session().expectOk(Command.RM, a.get(0))),
      new ShellCommand("mv", List.of("rename"), 2, 2, PATH, FileCommands::checkRename, FileCommands::rename),
      new ShellCommand("checksum", List.of(), 1, 1, PATH, FileCommands::checksum));
  }

  private static void list(CommandContext c, List<String> args) throws FerryException {
    List<RemoteEntry> entries = c.session().list(args.isEmpty() ? "" : args.get(0));
    c.out().print(table(entries, c.messages()));
  }

  /** {@code ls}: type, size, modification time, name; directories marked with {@code /}. */
  static String table(List<RemoteEntry> entries, Messages messages) {
    if (entries.isEmpty()) {
      return messages.get("ls.empty") + "\n";
    }
    TextTable table = new TextTable(false, true, false, false)
      .row(messages.get("ls.type"), messages.get("ls.size"), messages.get("ls.modified"), messages.get("ls.name"));
    ZoneId zone = ZoneId.systemDefault();
    for (RemoteEntry e : entries) {
      String name = SafeText.of(e.name()) + (e.directory() ? "/" : "");
      table.row(messages.get(e.directory() ? "ls.dir" : "ls.file"),
        e.directory() ? "-" : Sizes.human(e.size()),
        MTIME.format(Instant.ofEpochMilli(e.mtimeMillis()).atZone(zone)),
        name);
    }
    return table.render();
  }

  /** {@code cd} with no path goes home, like a shell. */
  private static void changeDirectory(CommandContext c, List<String> args) throws FerryException {
    c.session().changeDirectory(args.isEmpty() ? c.session().home() : args.get(0));
  }

  private static void printWorkingDirectory(CommandContext c, List<String> args) throws FerryException {
    c.out().println(SafeText.of(c.session().printWorkingDirectory()));
  }

  /** {@code rename} takes {@code <from>*<to>}: a {@code *} in a path could not be sent (and is a BAD_NAME anyway). */
  private static void checkRename(List<String> args) throws UsageException {
    for (String path : args) {
      if (path.contains(Replies.SEP)) {
        throw new UsageException("mv.star", path);
      }
    }
  }

  private static void rename(CommandContext c, List<String> args) throws FerryException {
    c.session().expectOk(Command.RENAME, Replies.join(args.get(0), args.get(1)));
  }

  /** Prints like {@code sha256sum}: {@code <hex>  <path>}. */
  private static void checksum(CommandContext c, List<String> args) throws FerryException {
    String reply = c.session().call(Command.CHECKSUM, args.get(0));
    if (!CHECKSUM.matcher(reply).matches()) {
      throw new RefusedException(reply);
    }
    String hex = reply.substring(reply.indexOf(Replies.SEP) + 1);
    c.out().println(hex + "  " + SafeText.of(args.get(0)));
  }
}
