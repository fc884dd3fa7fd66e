package dev.ferry.client.transfer;

import dev.ferry.client.FerryException;
import dev.ferry.client.RefusedException;
import dev.ferry.client.UsageException;
import dev.ferry.client.command.CommandContext;
import dev.ferry.client.command.ShellCommand;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Replies;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code put [-r] [-f] [-q] [-j N] [--retries N] LOCAL... [REMOTE_DIR]}: files to the server, into
 * {@code REMOTE_DIR} (the working directory when not given) under their own names. A file that
 * exists there is replaced only with {@code -f} ({@code *overwrite}). With {@code -r} a local
 * directory is copied with everything below it, making remote directories as needed; links to
 * directories are not followed (they could loop). With several files or {@code -r}, up to
 * {@code -j N} files upload at once ({@link TransferRun}); a directory is made before any file
 * goes into it.
 */
public final class PutCommand {

  public static final String NAME = "put";

  private PutCommand() {
  }

  public static ShellCommand command() {
    return new ShellCommand(NAME, List.of(), 1, Integer.MAX_VALUE, ShellCommand.Form.UPLOAD, PutCommand::check,
      PutCommand::run);
  }

  /** {@code upload} takes {@code <dir>*<name>*...}: a {@code *} in the directory could not be sent. */
  private static void check(List<String> arguments) throws UsageException {
    TransferArguments args = TransferArguments.parse(arguments, true);
    if (args.destination().contains(Replies.SEP)) {
      throw new UsageException("mv.star", args.destination());
    }
  }

  private static void run(CommandContext c, List<String> arguments) throws FerryException {
    check(arguments);
    TransferArguments args = TransferArguments.parse(arguments, true);
    String remoteDir = RemotePaths.absolute(c.session().cwd(), args.destination());
    try (TransferRun run = TransferRun.start(c, args)) {
      List<TransferRun.Task> tasks = new ArrayList<>();
      for (String source : args.sources()) {
        Path local = Path.of(source);
        tasks.add(new TransferRun.Task(source, sizeOf(local), lane -> put(run, lane, args, local, remoteDir, source)));
      }
      run.run(tasks);
    }
  }

  /** @param name the path as the user typed it, for messages */
  private static void put(TransferRun run, Lane lane, TransferArguments args, Path local, String remoteDir, String name)
    throws FerryException {
    Path fileName = local.toAbsolutePath().normalize().getFileName();
    String shown = fileName == null ? "" : fileName.toString();
    if (Files.isDirectory(local)) {
      if (!args.recursive()) {
        throw new TransferException("put.is-a-directory");
      }
      tree(run, args, local, fileName == null ? remoteDir : makeDirectory(lane, remoteDir, shown, name), name, shown);
    } else if (Files.isRegularFile(local)) {
      file(run, lane, args, local, remoteDir, shown);
    } else if (Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
      throw new TransferException("put.not-a-file");
    } else {
      throw new TransferException("put.no-such-file");
    }
  }

  /** @param shown the file as progress shows it: its path below the destination directory */
  private static void file(TransferRun run, Lane lane, TransferArguments args, Path local, String remoteDir, String shown)
    throws FerryException {
    String remoteName = local.toAbsolutePath().normalize().getFileName().toString();
    if (remoteName.contains(Replies.SEP)) {
      throw new TransferException("put.star-name");
    }
    lane.upload().file(local, remoteDir, remoteName, args.overwrite(), shown);
    run.done();
  }

  /**
   * Adds a task for each entry of {@code local} into {@code remote}, which exists: files to
   * upload, directories to make (their task makes them before it adds the tasks of what they hold).
   */
  private static void tree(TransferRun run, TransferArguments args, Path local, String remote, String name, String shown)
    throws FerryException {
    List<TransferRun.Task> tasks = new ArrayList<>();
    for (Path child : LocalFiles.list(local)) {
      String childName = below(name, child.getFileName().toString());
      String childShown = below(shown, child.getFileName().toString());
      if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        tasks.add(new TransferRun.Task(childName, -1, lane -> tree(run, args, child,
          makeDirectory(lane, remote, child.getFileName().toString(), childName), childName, childShown)));
      } else if (Files.isRegularFile(child)) {
        tasks.add(new TransferRun.Task(childName, sizeOf(child), lane -> file(run, lane, args, child, remote, childShown)));
      } else {
        tasks.add(new TransferRun.Task(childName, -1, lane -> {
          throw new TransferException(Files.isDirectory(child) ? "put.link-to-directory" : "put.not-a-file");
        }));
      }
    }
    run.submit(tasks);
  }

  /** The size of a regular file, for the total line; -1 for anything else or when it cannot be read. */
  private static long sizeOf(Path local) {
    try {
      return Files.isRegularFile(local) ? Files.size(local) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  static String below(String parent, String child) {
    return parent.isEmpty() || parent.endsWith("/") ? parent + child : parent + "/" + child;
  }

  /** {@code mkdir}, accepting a directory that is already there; returns its path. */
  private static String makeDirectory(Lane lane, String parent, String dirName, String name) throws FerryException {
    if (dirName.contains(Replies.SEP)) {
      throw new TransferException("put.star-name");
    }
    String remote = RemotePaths.join(parent, dirName);
    return lane.reconnector().run(name, () -> 0, () -> {
      String reply = lane.session().connection().request(Command.MKDIR.wire(), remote);
      if (!reply.equals(Replies.OK) && !reply.equals(Replies.ALREADY_EXISTS)) {
        throw new RefusedException(reply);
      }
      return remote;
    });
  }
}
