package dev.ferry.client.transfer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The tasks of one {@code get} or {@code put} and the lanes that take them: depth first, in the
 * order a directory lists them (tasks a running task adds go first), until none waits and none
 * running could add one, or the command stops. Thread-safe: lanes take from their own threads,
 * Ctrl-C arrives on the signal handler's.
 */
final class TaskQueue {

  private final Cancellation cancellation;
  private final Deque<TransferRun.Task> pending = new ArrayDeque<>();
  private int running;
  /** Lanes waiting in {@link #take} for a task, and lanes opening their connection: who will take what waits. */
  private int waiting;
  private int opening;
  /** Why the command stopped early: a {@code FerryException}, or a bug. */
  private Throwable stopped;

  TaskQueue(Cancellation cancellation) {
    this.cancellation = cancellation;
  }

  /** Adds tasks to run before those already waiting, in the order given. */
  synchronized void addFirst(List<TransferRun.Task> tasks) {
    for (int i = tasks.size() - 1; i >= 0; i--) {
      pending.addFirst(tasks.get(i));
    }
    notifyAll();
  }

  /**
   * The next task, or null once none waits and none running could add one, or the command
   * stopped. After Ctrl-C no task is started: if some were still waiting, the command stops
   * as interrupted ({@link #stopped}).
   */
  synchronized TransferRun.Task take() {
    waiting++;
    try {
      while (pending.isEmpty() && running > 0 && stopped == null && !cancellation.requested()) {
        waitUninterruptibly();
      }
    } finally {
      waiting--;
    }
    if (cancellation.requested() && !pending.isEmpty() && stopped == null) {
      stopped = new TransferInterruptedException(pending.peekFirst().name());
    }
    if (pending.isEmpty() || stopped != null) {
      notifyAll();
      return null;
    }
    running++;
    return pending.pollFirst();
  }

  /** A task from {@link #take} is over. */
  synchronized void finished() {
    running--;
    notifyAll();
  }

  /**
   * For a lane without a connection yet: waits until more tasks wait than the lanes open or
   * opening will take at once (true: open one, then call {@link #opened}), or until there will
   * be no such work (false). So a tree whose files come one listing at a time opens no more
   * connections than it keeps busy.
   */
  synchronized boolean awaitWork() {
    while (stopped == null && pending.size() <= waiting + opening && (running > 0 || !pending.isEmpty())) {
      waitUninterruptibly();
    }
    if (stopped != null || pending.size() <= waiting + opening) {
      return false;
    }
    opening++;
    return true;
  }

  /** The lane {@link #awaitWork} let open its connection has it, or could not open one. */
  synchronized void opened() {
    opening--;
    notifyAll();
  }

  /** Stops the command with {@code reason}; false if it had stopped already. */
  synchronized boolean stop(Throwable reason) {
    if (stopped != null) {
      return false;
    }
    stopped = reason;
    notifyAll();
    return true;
  }

  /** Why the command stopped early, or null. */
  synchronized Throwable stopped() {
    return stopped;
  }

  /** Wakes the waiting lanes to look at a Ctrl-C. */
  synchronized void wake() {
    notifyAll();
  }

  private void waitUninterruptibly() {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("a transfer lane was interrupted", e);
    }
  }
}
