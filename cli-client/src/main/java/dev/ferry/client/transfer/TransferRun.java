package dev.ferry.client.transfer;

import dev.ferry.client.ConnectionException;
import dev.ferry.client.ExitCode;
import dev.ferry.client.FerryException;
import dev.ferry.client.Messages;
import dev.ferry.client.Prompter;
import dev.ferry.client.command.CommandContext;
import dev.ferry.client.command.RemoteSession;
import dev.ferry.client.command.SessionTickets;
import dev.ferry.client.shell.TerminalPrompter;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
  private final Deque<Task> pending = new ArrayDeque<>();
  private int running;
  /** Lanes waiting in {@link #take} for a task, and lanes opening their connection: who will take what is waiting. */
  private int waiting;
  private int opening;
  private FerryException fatal;
  private RuntimeException bug;
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
    this.interrupts = context.prompter().onInterrupt(cancellation::press);
  }

  /**
   * Progress on stderr: a bar on a terminal (a block of lines and a total when files move at
   * once), plain lines otherwise, nothing with {@code --quiet}.
   */
  static TransferRun start(CommandContext c, TransferArguments args) {
    boolean keepGoing = args.sources().size() > 1 || args.recursive();
    int lanes = keepGoing && c.session().canReconnect() ? args.jobs() : 1;
    List<RemoteSession> sessions = new CopyOnWriteArrayList<>();
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
  void submit(List<Task> tasks) {
    synchronized (this) {
      for (int i = tasks.size() - 1; i >= 0; i--) {
        pending.addFirst(tasks.get(i));
      }
      notifyAll();
    }
    for (Task task : tasks) {
      if (task.size() > 0) {
        view.expect(task.size());
      }
    }
  }

  /**
   * Runs {@code tasks} and every task they add, up to {@code -j} at once, then fails the
   * command if any file failed.
   */
  void run(List<Task> tasks) throws FerryException {
    submit(tasks);
    Lane first = lane(context.session());
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
    runLane(first);
    for (Thread thread : threads) {
      joinUninterruptibly(thread);
    }
    view.close();
    if (bug != null) {
      throw bug;
    }
    if (fatal != null) {
      throw fatal;
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
    return new Lane(session, progress, cancellation, reconnector);
  }

  /** A lane beside the session's: opens its connection once there is work for it. */
  private void runBeside(SessionTickets tickets) {
    if (!awaitWork()) {
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
      synchronized (this) {
        opening--;
        notifyAll();
      }
    }
    if (cancellation.hardStopped()) {
      dropConnection(session);
    }
    try {
      runLane(lane(session));
    } catch (RuntimeException | Error e) {
      stop(null, e instanceof RuntimeException r ? r : new IllegalStateException(e));
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
    while (true) {
      Task task = take();
      if (task == null) {
        return;
      }
      try {
        step(task, lane);
      } finally {
        synchronized (this) {
          running--;
          notifyAll();
        }
      }
    }
  }

  /**
   * Waits until more tasks wait than the lanes already open or opening will take at once (true:
   * this lane opens a connection), or until there will be no such work (false). So a tree whose
   * files come one listing at a time opens no more connections than it keeps busy.
   */
  private synchronized boolean awaitWork() {
    while (!stopped() && pending.size() <= waiting + opening && (running > 0 || !pending.isEmpty())) {
      waitUninterruptibly();
    }
    if (stopped() || pending.size() <= waiting + opening) {
      return false;
    }
    opening++;
    return true;
  }

  /** The next task, or null once none is waiting and none running could add one. */
  private synchronized Task take() {
    waiting++;
    try {
      while (pending.isEmpty() && running > 0 && !stopped()) {
        waitUninterruptibly();
      }
    } finally {
      waiting--;
    }
    if (pending.isEmpty() || stopped()) {
      notifyAll();
      return null;
    }
    running++;
    return pending.pollFirst();
  }

  private boolean stopped() {
    return fatal != null || bug != null;
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
        stop(e, null);
      } else {
        failed(lane, new FileException(task.name(), e));
      }
    } catch (RuntimeException e) {
      stop(null, e);
    }
  }

  private void failed(Lane lane, FileException e) {
    if (view instanceof MultiProgress multi) {
      multi.fileFailed(lane.progress());
    }
    if (!keepGoing) {
      stop(e, null);
      return;
    }
    synchronized (this) {
      failures++;
    }
    view.println(context.messages().get("error.line", e.describe(context.messages())));
  }

  /** Ends the command with {@code error}: the lanes still moving a file stop it as Ctrl-C would. */
  private void stop(FerryException error, RuntimeException broken) {
    synchronized (this) {
      if (stopped()) {
        return;
      }
      fatal = error;
      bug = broken;
      notifyAll();
    }
    if (lanes > 1 && !cancellation.requested()) {
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

  private void waitUninterruptibly() {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("a transfer lane was interrupted", e);
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

  Messages messages() {
    return context.messages();
  }
}
