package dev.ferry.client.transfer;

import dev.ferry.client.FerryException;
import dev.ferry.client.RefusedException;
import dev.ferry.client.command.CommandContext;
import dev.ferry.client.command.RemoteEntry;
import dev.ferry.client.command.ShellCommand;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Replies;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code get [-r] [-q] [--retries N] REMOTE... [LOCAL]}: files from the server. One remote file
 * goes to {@code LOCAL} (a file name, or a directory to put it in; the current directory when
 * not given); several go into the directory {@code LOCAL}. With {@code -r} a remote directory
 * is copied with everything below it, walking {@code view} listings; {@code LOCAL} becomes the
 * copy, or holds it if it is a directory already (as {@code cp -r}). An existing local file is
 * replaced, once the new one is complete and verified.
 */
public final class GetCommand {

  public static final String NAME = "get";

  private GetCommand() {
  }

  public static ShellCommand command() {
    return new ShellCommand(NAME, List.of(), 1, Integer.MAX_VALUE, ShellCommand.Form.DOWNLOAD,
      args -> TransferArguments.parse(args, false), GetCommand::run);
  }

  private static void run(CommandContext c, List<String> arguments) throws FerryException {
    TransferArguments args = TransferArguments.parse(arguments, false);
    List<String> sources = args.sources();
    Path destination = Path.of(args.destination().isEmpty() ? "." : args.destination());
    boolean intoDirectory = Files.isDirectory(destination);
    if (sources.size() > 1 && !intoDirectory) {
      throw new TransferException("get.not-a-directory", destination);
    }
    String cwd = c.session().cwd();
    try (TransferRun run = TransferRun.start(c, args)) {
      for (String source : sources) {
        String remote = RemotePaths.absolute(cwd, source);
        String name = RemotePaths.name(remote);
        Path local = intoDirectory && !name.isEmpty() ? destination.resolve(name) : destination;
        String shown = name.isEmpty() ? source : name;
        run.step(source, () -> get(run, args.recursive(), remote, local, source, shown));
      }
      run.finish();
    }
  }

  /**
   * {@code download} first: a file (the common case) costs one request; then whether it is a directory.
   *
   * @param name  the path as the user typed it, for messages
   * @param shown the file as progress shows it: its name, then its path below the directory asked for
   */
  private static void get(TransferRun run, boolean recursive, String remote, Path local, String name, String shown)
    throws FerryException {
    try {
      run.download().file(remote, local, shown);
      run.done();
    } catch (RefusedException e) {
      // "file_not_exists answers a missing path or a directory" (PROTOCOL.md section 4).
      if (!e.reply().equals(Replies.FILE_NOT_EXISTS)) {
        throw e;
      }
      Optional<List<RemoteEntry>> listing = directory(run, remote, shown);
      if (listing.isEmpty()) {
        throw e;
      }
      if (!recursive) {
        throw new TransferException("get.is-a-directory");
      }
      tree(run, remote, local, name, shown, listing.get());
    }
  }

  private static void tree(TransferRun run, String remote, Path local, String name, String shown, List<RemoteEntry> entries)
    throws FerryException {
    LocalFiles.createDirectories(local);
    for (RemoteEntry entry : entries) {
      String childName = PutCommand.below(name, entry.name());
      String childShown = PutCommand.below(shown, entry.name());
      if (!LocalFiles.safeName(entry.name())) {
        run.step(childName, () -> {
          throw new TransferException("get.unsafe-name");
        });
        continue;
      }
      String childRemote = RemotePaths.join(remote, entry.name());
      Path childLocal = local.resolve(entry.name());
      if (entry.directory()) {
        run.step(childName, () -> tree(run, childRemote, childLocal, childName, childShown, list(run, childRemote, childShown)));
      } else {
        run.step(childName, () -> {
          run.download().file(childRemote, childLocal, childShown);
          run.done();
        });
      }
    }
  }

  /** The listing of {@code remote} if it is a directory the user may read; empty otherwise. */
  private static Optional<List<RemoteEntry>> directory(TransferRun run, String remote, String name) throws FerryException {
    try {
      return Optional.of(list(run, remote, name));
    } catch (RefusedException e) {
      return Optional.empty();
    }
  }

  private static List<RemoteEntry> list(TransferRun run, String remote, String name) throws FerryException {
    return run.reconnector().run(name, () -> 0, () -> {
      String reply = run.session().connection().request(Command.VIEW.wire(), remote);
      if (!reply.startsWith("[")) {
        throw new RefusedException(reply);
      }
      return RemoteEntry.parseListing(reply);
    });
  }
}
