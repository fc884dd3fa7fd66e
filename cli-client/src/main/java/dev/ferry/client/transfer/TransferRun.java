package dev.ferry.client.transfer;

import dev.ferry.client.ConnectionException;
import dev.ferry.client.ExitCode;
import dev.ferry.client.FerryException;
import dev.ferry.client.Prompter;
import dev.ferry.client.command.CommandContext;
import dev.ferry.client.command.RemoteSession;
import dev.ferry.client.command.SessionTickets;
import dev.ferry.client.shell.TerminalPrompter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One {@code get} or {@code put} command while it runs: its tasks (a file, or a directory of a
 * tree, which adds the tasks of what it holds), the lanes that run them, its progress display,
 * Ctrl-C handling, and the tally of files. With one file named, its failure is the command's;
 * with several or a tree, each failure is reported and the others still go, and the command
 * fails at the end ("2 of 7 files failed"). A lost connection that does not come back, and
 * Ctrl-C, stop everything.
 *
 * <p>With several files or a tree and {@code -j N} above 1, up to N tasks run at once, each lane
 * on a connection of its own: the session's, and connections beside it that log in with a
 * session ticket asked for on the session's connection (with the password where the server
 * gives none). A lane opens its connection only once there is a task for it; one that cannot
 * (the server's limits, say) is said once and leaves the work to the others. Tasks are taken
 * depth first, in the order a directory lists them, so a directory's task always runs (making
 * the directory) before the tasks of what it holds exist.
 */
final class TransferRun implements AutoCloseable {

  /** What one task does, on the lane that runs it. */
  @FunctionalInterface
  interface Work {
    void run(Lane lane) throws FerryException;
  }

  /**
   * A file or a directory of a tree.
   *
   * @param name the path as the user typed it, for messages
   * @param size the file's size if known ahead (for the total line), else -1
   */
  record Task(String name, long size, Work work) {
  }

  private final CommandContext context;
  private final TransferArguments args;
  private final ProgressView view;
  private final Cancellation cancellation;
  private final boolean keepGoing;
  private final int lanes;
  private final Prompter.Registration interrupts;
  /** The connections beside the session's, for the second Ctrl-C and to close at the end. */
  private final List<RemoteSession> beside = new CopyOnWriteArrayList<>();
  private final TaskQueue tasks;
  private int done;
  private int failures;
  private int lanesRefused;

  private TransferRun(CommandContext context, TransferArguments args, ProgressView view, Cancellation cancellation,
                      boolean keepGoing, int lanes) {
    this.context = context;
    this.args = args;
    this.view = view;
    this.cancellation = cancellation;
    this.keepGoing = keepGoing;
    this.lanes = lanes;
    this.tasks = new TaskQueue(cancellation);
    this.interrupts = context.prompter().onInterrupt(this::interrupted);
  }

  /**
   * Progress on stderr: a bar on a terminal (a block of lines and a total when files move at
   * once), plain lines otherwise, nothing with {@code --quiet}.
   */
  static TransferRun start(CommandContext c, TransferArguments args) {
    boolean keepGoing = args.sources().size() > 1 || args.recursive();
    int lanes = keepGoing && c.session().canReconnect() ? args.jobs() : 1;
    ProgressView view;
    if (args.quiet()) {
      view = ProgressView.simple(c.err(), () -> Progress.QUIET);
    } else if (c.prompter() instanceof TerminalPrompter terminal) {
      view = lanes > 1
        ? new MultiProgress(c.err(), c.messages(), terminal::width, System::nanoTime)
        : ProgressView.simple(c.err(), () -> new BarProgress(c.err(), c.messages(), terminal::width));
    } else {
      view = ProgressView.simple(c.err(),
        () -> new PlainProgress(c.err(), c.messages(), System::nanoTime, PlainProgress.DEFAULT_INTERVAL));
    }
    TransferRun[] run = new TransferRun[1];
    Cancellation cancellation = new Cancellation(() -> run[0].dropConnections());
    run[0] = new TransferRun(c, args, view, cancellation, keepGoing, lanes);
    return run[0];
  }

  /** Adds tasks, to run before those already waiting, in the order given. Thread-safe. */
  void submit(List<Task> more) {
    tasks.addFirst(more);
    for (Task task : more) {
      if (task.size() > 0) {
        view.expect(task.size());
      }
    }
  }

  /**
   * Runs the {@code first} tasks and every task they add, up to {@code -j} at once, then fails the
   * command if any file failed.
   */
  void run(List<Task> first) throws FerryException {
    submit(first);
    List<Thread> threads = new ArrayList<>();
    if (lanes > 1) {
      SessionTickets tickets = new SessionTickets(firstTicket());
      for (int i = 1; i < lanes; i++) {
        Thread thread = new Thread(() -> runBeside(tickets), "ferry-transfer-" + i);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
      }
    }
    runLane(lane(context.session()));
    for (Thread thread : threads) {
      joinUninterruptibly(thread);
    }
    view.close();
    Throwable stopped = tasks.stopped();
    if (stopped instanceof FerryException e) {
      throw e;
    }
    if (stopped instanceof RuntimeException e) {
      throw e;
    }
    if (failures > 0) {
      throw new TransferException("transfer.some-failed", failures, done);
    }
  }

  /** A ticket for the lanes beside the session's, or null: they log in with the password. */
  private String firstTicket() {
    try {
      return context.session().ticket();
    } catch (ConnectionException e) {
      // The session's own lane meets the lost connection at its first task and reconnects.
      return null;
    }
  }

  private Lane lane(RemoteSession session) {
    Progress progress = view.lane();
    Reconnector reconnector = new Reconnector(session, args.retries(), cancellation, args.quiet() ? null : view.notices(),
      context.messages(), Thread::sleep);
    return new Lane(session, progress, cancellation, reconnector, context.checksums());
  }

  /** A lane beside the session's: opens its connection once there is work for it. */
  private void runBeside(SessionTickets tickets) {
    if (!tasks.awaitWork()) {
      return;
    }
    RemoteSession session;
    try {
      session = context.session().beside(tickets);
      beside.add(session);
    } catch (ConnectionException e) {
      laneRefused(e);
      return;
    } finally {
      tasks.opened();
    }
    if (cancellation.hardStopped()) {
      dropConnection(session);
    }
    try {
      runLane(lane(session));
    } catch (RuntimeException | Error e) {
      stop(e instanceof RuntimeException r ? r : new IllegalStateException(e));
    }
  }

  /** Says once that fewer connections than asked for could be opened; the others do the work. */
  private void laneRefused(ConnectionException e) {
    boolean first;
    synchronized (this) {
      first = lanesRefused++ == 0;
    }
    if (first && !args.quiet()) {
      view.println(context.messages().get("transfer.lane-refused", e.describe(context.messages())));
    }
  }

  private void runLane(Lane lane) {
    for (Task task = tasks.take(); task != null; task = tasks.take()) {
      try {
        step(task, lane);
      } finally {
        tasks.finished();
      }
    }
  }

  /** Ctrl-C, on the signal handler's thread: the lanes moving a file stop it, and no lane takes another. */
  private void interrupted() {
    cancellation.press();
    tasks.wake();
  }

  /**
   * Runs one task. A refusal or a failed transfer is reported with its name (see the class
   * comment); a lost connection that did not come back, Ctrl-C or a usage error ends the command.
   */
  private void step(Task task, Lane lane) {
    if (view instanceof MultiProgress multi) {
      multi.fileStarts(lane.progress(), task.size());
    }
    try {
      task.work().run(lane);
    } catch (FileException e) {
      failed(lane, e);
    } catch (FerryException e) {
      if (e.exitCode() != ExitCode.REFUSED) {
        stop(e);
      } else {
        failed(lane, new FileException(task.name(), e));
      }
    } catch (RuntimeException e) {
      stop(e);
    }
  }

  private void failed(Lane lane, FileException e) {
    if (view instanceof MultiProgress multi) {
      multi.fileFailed(lane.progress());
    }
    if (!keepGoing) {
      stop(e);
      return;
    }
    synchronized (this) {
      failures++;
    }
    view.println(context.messages().get("error.line", e.describe(context.messages())));
  }

  /**
   * Ends the command with {@code reason} (a {@code FerryException}, or a bug): the lanes still
   * moving a file stop it as Ctrl-C would.
   */
  private void stop(Throwable reason) {
    if (tasks.stop(reason) && lanes > 1 && !cancellation.requested()) {
      cancellation.press();
    }
  }

  /** A file arrived whole. Thread-safe. */
  synchronized void done() {
    done++;
  }

  /**
   * Gives Ctrl-C back and closes the connections beside the session's. If a second Ctrl-C
   * dropped the session's connection, the session gets a new one so the shell can go on.
   */
  @Override
  public void close() throws FerryException {
    interrupts.close();
    for (RemoteSession session : beside) {
      session.close();
    }
    RemoteSession session = context.session();
    if (cancellation.hardStopped() && session.canReconnect()) {
      session.reconnect();
    }
  }

  /** The second Ctrl-C: every connection dropped at once, so no lane waits on a silent server. */
  private void dropConnections() {
    dropConnection(context.session());
    for (RemoteSession session : beside) {
      dropConnection(session);
    }
  }

  private static void dropConnection(RemoteSession session) {
    try {
      session.connection().close();
    } catch (IOException e) {
      // The point was to stop waiting on it; it is gone either way.
    }
  }

  private static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
