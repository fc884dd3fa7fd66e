package dev.ferry.client.transfer;

import dev.ferry.client.ExitCode;
import dev.ferry.client.FerryException;
import dev.ferry.client.Messages;
import dev.ferry.client.Prompter;
import dev.ferry.client.command.CommandContext;
import dev.ferry.client.command.RemoteSession;
import dev.ferry.client.shell.TerminalPrompter;

import java.io.IOException;
import java.io.PrintStream;

/**
 * One {@code get} or {@code put} command while it runs: its progress display, Ctrl-C handling,
 * reconnection, and the tally of files. With one file named, its failure is the command's; with
 * several or a tree, each failure is reported and the others still go, and the command fails at
 * the end ("2 of 7 files failed"). A lost connection that does not come back, and Ctrl-C, stop
 * everything.
 */
final class TransferRun implements AutoCloseable {

  /** One file, or one directory step of a tree. */
  @FunctionalInterface
  interface Work {
    void run() throws FerryException;
  }

  private final RemoteSession session;
  private final Progress progress;
  private final Cancellation cancellation;
  private final Reconnector reconnector;
  private final PrintStream err;
  private final Messages messages;
  private final boolean keepGoing;
  private final Prompter.Registration interrupts;
  private final LocalChecksums checksums;
  private int done;
  private int failures;

  TransferRun(RemoteSession session, Progress progress, Cancellation cancellation, Reconnector reconnector, PrintStream err,
              Messages messages, boolean keepGoing, Prompter.Registration interrupts, LocalChecksums checksums) {
    this.session = session;
    this.progress = progress;
    this.cancellation = cancellation;
    this.reconnector = reconnector;
    this.err = err;
    this.messages = messages;
    this.keepGoing = keepGoing;
    this.interrupts = interrupts;
    this.checksums = checksums;
  }

  /** Progress on stderr: a bar on a terminal, plain lines otherwise, nothing with {@code --quiet}. */
  static TransferRun start(CommandContext c, TransferArguments args) {
    RemoteSession session = c.session();
    Cancellation cancellation = new Cancellation(() -> dropConnection(session));
    Progress progress;
    if (args.quiet()) {
      progress = Progress.QUIET;
    } else if (c.prompter() instanceof TerminalPrompter terminal) {
      progress = new BarProgress(c.err(), c.messages(), terminal::width);
    } else {
      progress = new PlainProgress(c.err(), c.messages(), System::nanoTime, PlainProgress.DEFAULT_INTERVAL);
    }
    Reconnector reconnector = new Reconnector(session, args.retries(), cancellation, args.quiet() ? null : c.err(),
      c.messages(), Thread::sleep);
    boolean keepGoing = args.sources().size() > 1 || args.recursive();
    return new TransferRun(session, progress, cancellation, reconnector, c.err(), c.messages(), keepGoing,
      c.prompter().onInterrupt(cancellation::press), c.checksums());
  }

  RemoteSession session() {
    return session;
  }

  Reconnector reconnector() {
    return reconnector;
  }

  Download download() {
    return new Download(session, progress, cancellation, reconnector);
  }

  Upload upload() {
    return new Upload(session, progress, cancellation, reconnector, checksums);
  }

  /** A file arrived whole. */
  void done() {
    done++;
  }

  /**
   * Runs one step: a file, or a directory of a tree (listing or making it). A refusal or a
   * failed transfer is reported with {@code name} (see the class comment); a lost connection
   * that did not come back, Ctrl-C or a usage error ends the command.
   */
  void step(String name, Work work) throws FerryException {
    try {
      work.run();
    } catch (FileException e) {
      failed(e);
    } catch (FerryException e) {
      if (e.exitCode() != ExitCode.REFUSED) {
        throw e;
      }
      failed(new FileException(name, e));
    }
  }

  private void failed(FileException e) throws FileException {
    if (!keepGoing) {
      throw e;
    }
    failures++;
    err.println(messages.get("error.line", e.describe(messages)));
  }

  /** After the last file: the command fails if any file did. */
  void finish() throws TransferException {
    if (failures > 0) {
      throw new TransferException("transfer.some-failed", failures, done);
    }
  }

  /**
   * Gives Ctrl-C back. If a second Ctrl-C dropped the connection, the session gets a new one so
   * the shell can go on.
   */
  @Override
  public void close() throws FerryException {
    interrupts.close();
    if (cancellation.hardStopped() && session.canReconnect()) {
      session.reconnect();
    }
  }

  private static void dropConnection(RemoteSession session) {
    try {
      session.connection().close();
    } catch (IOException e) {
      // The point was to stop waiting on it; it is gone either way.
    }
  }
}
