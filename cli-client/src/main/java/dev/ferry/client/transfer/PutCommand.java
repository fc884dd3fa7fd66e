package dev.ferry.client.transfer;

import dev.ferry.client.FerryException;
import dev.ferry.client.RefusedException;
import dev.ferry.client.UsageException;
import dev.ferry.client.command.CommandContext;
import dev.ferry.client.command.ShellCommand;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Replies;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code put [-r] [-f] [-q] [--retries N] LOCAL... [REMOTE_DIR]}: files to the server, into
 * {@code REMOTE_DIR} (the working directory when not given) under their own names. A file that
 * exists there is replaced only with {@code -f} ({@code *overwrite}). With {@code -r} a local
 * directory is copied with everything below it, making remote directories as needed; links to
 * directories are not followed (they could loop).
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
      for (String source : args.sources()) {
        Path local = Path.of(source);
        run.step(source, () -> put(run, args, local, remoteDir, source));
      }
      run.finish();
    }
  }

  /** @param name the path as the user typed it, for messages */
  private static void put(TransferRun run, TransferArguments args, Path local, String remoteDir, String name)
    throws FerryException {
    Path fileName = local.toAbsolutePath().normalize().getFileName();
    String shown = fileName == null ? "" : fileName.toString();
    if (Files.isDirectory(local)) {
      if (!args.recursive()) {
        throw new TransferException("put.is-a-directory");
      }
      tree(run, args, local, fileName == null ? remoteDir : makeDirectory(run, remoteDir, shown, name), name, shown);
    } else if (Files.isRegularFile(local)) {
      file(run, args, local, remoteDir, shown);
    } else if (Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
      throw new TransferException("put.not-a-file");
    } else {
      throw new TransferException("put.no-such-file");
    }
  }

  /** @param shown the file as progress shows it: its path below the destination directory */
  private static void file(TransferRun run, TransferArguments args, Path local, String remoteDir, String shown)
    throws FerryException {
    String remoteName = local.toAbsolutePath().normalize().getFileName().toString();
    if (remoteName.contains(Replies.SEP)) {
      throw new TransferException("put.star-name");
    }
    run.upload().file(local, remoteDir, remoteName, args.overwrite(), shown);
    run.done();
  }

  /** Uploads what {@code local} holds into {@code remote}, which exists. */
  private static void tree(TransferRun run, TransferArguments args, Path local, String remote, String name, String shown)
    throws FerryException {
    for (Path child : LocalFiles.list(local)) {
      String childName = below(name, child.getFileName().toString());
      String childShown = below(shown, child.getFileName().toString());
      if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        run.step(childName, () -> tree(run, args, child, makeDirectory(run, remote, child.getFileName().toString(), childName),
          childName, childShown));
      } else if (Files.isRegularFile(child)) {
        run.step(childName, () -> file(run, args, child, remote, childShown));
      } else {
        run.step(childName, () -> {
          throw new TransferException(Files.isDirectory(child) ? "put.link-to-directory" : "put.not-a-file");
        });
      }
    }
  }

  static String below(String parent, String child) {
    return parent.isEmpty() || parent.endsWith("/") ? parent + child : parent + "/" + child;
  }

  /** {@code mkdir}, accepting a directory that is already there; returns its path. */
  private static String makeDirectory(TransferRun run, String parent, String dirName, String name) throws FerryException {
    if (dirName.contains(Replies.SEP)) {
      throw new TransferException("put.star-name");
    }
    String remote = RemotePaths.join(parent, dirName);
    return run.reconnector().run(name, () -> 0, () -> {
      String reply = run.session().connection().request(Command.MKDIR.wire(), remote);
      if (!reply.equals(Replies.OK) && !reply.equals(Replies.ALREADY_EXISTS)) {
        throw new RefusedException(reply);
      }
      return remote;
    });
  }
}
