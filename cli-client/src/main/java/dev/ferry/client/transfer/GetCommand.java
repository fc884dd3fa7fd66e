package dev.ferry.client.transfer;

import dev.ferry.client.FerryException;
import dev.ferry.client.RefusedException;
import dev.ferry.client.command.CommandContext;
import dev.ferry.client.command.RemoteEntry;
import dev.ferry.client.command.RemoteListing;
import dev.ferry.client.command.ShellCommand;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Replies;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code get [-r] [-q] [-j N] [--retries N] REMOTE... [LOCAL]}: files from the server. One remote file
 * goes to {@code LOCAL} (a file name, or a directory to put it in; the current directory when
 * not given); several go into the directory {@code LOCAL}. With {@code -r} a remote directory
 * is copied with everything below it, walking listings a page at a time; {@code LOCAL} becomes the
 * copy, or holds it if it is a directory already (as {@code cp -r}). An existing local file is
 * replaced, once the new one is complete and verified. With several files or {@code -r}, up to
 * {@code -j N} files download at once ({@link TransferRun}).
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
      List<TransferRun.Task> tasks = new ArrayList<>();
      for (String source : sources) {
        String remote = RemotePaths.absolute(cwd, source);
        String name = RemotePaths.name(remote);
        Path local = intoDirectory && !name.isEmpty() ? destination.resolve(name) : destination;
        String shown = name.isEmpty() ? source : name;
        tasks.add(new TransferRun.Task(source, -1, lane -> get(run, lane, args.recursive(), remote, local, source, shown)));
      }
      run.run(tasks);
    }
  }

  /**
   * {@code download} first: a file (the common case) costs one request; then whether it is a directory.
   *
   * @param name  the path as the user typed it, for messages
   * @param shown the file as progress shows it: its name, then its path below the directory asked for
   */
  private static void get(TransferRun run, Lane lane, boolean recursive, String remote, Path local, String name, String shown)
    throws FerryException {
    try {
      lane.download().file(remote, local, shown);
      run.done();
    } catch (RefusedException e) {
      // "file_not_exists answers a missing path or a directory" (PROTOCOL.md section 4).
      if (!e.reply().equals(Replies.FILE_NOT_EXISTS)) {
        throw e;
      }
      Optional<List<RemoteEntry>> listing = directory(lane, remote, shown);
      if (listing.isEmpty()) {
        throw e;
      }
      if (!recursive) {
        throw new TransferException("get.is-a-directory");
      }
      tree(run, remote, local, name, shown, listing.get());
    }
  }

  /** Makes the local directory, then adds a task for each entry: files to download, directories to list. */
  private static void tree(TransferRun run, String remote, Path local, String name, String shown, List<RemoteEntry> entries)
    throws FerryException {
    LocalFiles.createDirectories(local);
    List<TransferRun.Task> tasks = new ArrayList<>();
    for (RemoteEntry entry : entries) {
      String childName = PutCommand.below(name, entry.name());
      String childShown = PutCommand.below(shown, entry.name());
      Optional<Path> safeLocal = LocalFiles.child(local, entry.name());
      if (safeLocal.isEmpty()) {
        tasks.add(new TransferRun.Task(childName, -1, lane -> {
          throw new TransferException("get.unsafe-name");
        }));
        continue;
      }
      String childRemote = RemotePaths.join(remote, entry.name());
      Path childLocal = safeLocal.get();
      if (entry.directory()) {
        tasks.add(new TransferRun.Task(childName, -1,
          lane -> tree(run, childRemote, childLocal, childName, childShown, list(lane, childRemote, childShown))));
      } else {
        tasks.add(new TransferRun.Task(childName, entry.size(), lane -> {
          lane.download().file(childRemote, childLocal, childShown);
          run.done();
        }));
      }
    }
    run.submit(tasks);
  }

  /** The listing of {@code remote} if it is a directory the user may read; empty otherwise. */
  private static Optional<List<RemoteEntry>> directory(Lane lane, String remote, String name) throws FerryException {
    try {
      return Optional.of(list(lane, remote, name));
    } catch (RefusedException e) {
      return Optional.empty();
    }
  }

  private static List<RemoteEntry> list(Lane lane, String remote, String name) throws FerryException {
    return lane.reconnector().run(name, () -> 0, () -> RemoteListing.all(lane.session().connection()::request, remote));
  }
}
