package dev.ferry.client.shell;

import dev.ferry.client.FerryException;
import dev.ferry.client.command.CommandTable;
import dev.ferry.client.command.RemoteEntry;
import dev.ferry.client.command.RemoteSession;
import dev.ferry.client.command.ShellCommand;
import dev.ferry.client.format.SafeText;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.util.List;
import java.util.Optional;

/**
 * Tab completion: command words first, then remote names for the commands that take paths.
 * To complete {@code docs/pro} it asks the server to list {@code docs/} and offers the names
 * there that start with {@code pro}; directories end with {@code /} so completion can go on.
 */
public final class RemoteNameCompleter implements Completer {

  private final CommandTable commands;
  private final RemoteSession session;

  public RemoteNameCompleter(CommandTable commands, RemoteSession session) {
    this.commands = commands;
    this.session = session;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    if (line.wordIndex() == 0) {
      commands.words().forEach(word -> candidates.add(new Candidate(word)));
      return;
    }
    Optional<ShellCommand> command = commands.find(line.words().get(0));
    if (command.isEmpty() || !completesRemoteNames(command.get().form())) {
      return;
    }
    String typed = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
    String dir = typed.substring(0, typed.lastIndexOf('/') + 1);
    List<RemoteEntry> entries;
    try {
      entries = session.list(dir);
    } catch (FerryException e) {
      // Nothing to offer: no such directory, no permission, or the connection is gone (the
      // next command will say so).
      return;
    }
    for (RemoteEntry entry : entries) {
      String shown = entry.name() + (entry.directory() ? "/" : "");
      candidates.add(new Candidate(dir + shown, SafeText.of(shown), null, null, null, null, !entry.directory()));
    }
  }

  private static boolean completesRemoteNames(ShellCommand.Form form) {
    return form == ShellCommand.Form.PATH || form == ShellCommand.Form.DOWNLOAD;
  }
}
