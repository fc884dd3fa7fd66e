package dev.ferry.client.transfer;

import dev.ferry.client.ConnectionException;
import dev.ferry.client.FerryException;
import dev.ferry.client.Messages;
import dev.ferry.client.command.RemoteSession;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Runs a transfer step again after the connection is lost: waits (0.5 s, 1 s, 2 s, ... at most
 * 10 s), reconnects and logs in again, and repeats the step, which resumes where the bytes are
 * (a download from its {@code .part}, an upload from the server's {@code READY} offset). A
 * {@link ServerFailureException} (the server's storage failed the transfer, the connection is
 * fine) is tried again the same way without the reconnecting. Gives up after {@code retries}
 * failed tries in a row; a try after which more bytes had moved starts the count again. The
 * waiting happens on the command's own thread: the CLI has no event loop.
 */
public final class Reconnector {

  public static final long FIRST_DELAY_MILLIS = 500;
  public static final long MAX_DELAY_MILLIS = 10_000;
  /** How often a wait looks for Ctrl-C. */
  private static final long PAUSE_SLICE_MILLIS = 100;
  /** Failures that another try may cure; a refused login or a changed certificate is not one. */
  private static final Set<String> TRANSIENT = Set.of("connection.lost", "connect.refused", "connect.failed",
    "connect.closed", "connect.closed-plain", "connect.tls-failed", "connect.busy");

  /** One try of a step; an {@link IOException} means the connection was lost. */
  @FunctionalInterface
  public interface Step<T> {
    T run() throws IOException, FerryException;
  }

  /** Waits; {@link Thread#sleep} outside tests. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final RemoteSession session;
  private final int retries;
  private final Cancellation cancellation;
  private final PrintStream notices;
  private final Messages messages;
  private final Sleeper sleeper;

  /** @param notices where "reconnecting" is said, or null to say nothing ({@code --quiet}) */
  public Reconnector(RemoteSession session, int retries, Cancellation cancellation, PrintStream notices, Messages messages,
                     Sleeper sleeper) {
    this.session = session;
    this.retries = retries;
    this.cancellation = cancellation;
    this.notices = notices;
    this.messages = messages;
    this.sleeper = sleeper;
  }

  /** The wait before the {@code n}th try in a row (1-based): 0.5 s doubling, at most 10 s. */
  public static long delayMillis(int n) {
    long delay = FIRST_DELAY_MILLIS;
    for (int i = 1; i < n && delay < MAX_DELAY_MILLIS; i++) {
      delay *= 2;
    }
    return Math.min(delay, MAX_DELAY_MILLIS);
  }

  /**
   * @param name     the file, for messages
   * @param position bytes in place so far (progress since the last failure resets the count)
   */
  public <T> T run(String name, LongSupplier position, Step<T> step) throws FerryException {
    int failures = 0;
    long lastPosition = position.getAsLong();
    while (true) {
      Exception lost;
      try {
        return step.run();
      } catch (IOException e) {
        lost = e;
      } catch (ServerFailureException e) {
        lost = e;
      } catch (ConnectionException e) {
        if (!TRANSIENT.contains(e.key())) {
          throw e;
        }
        lost = e;
      }
      if (cancellation.requested()) {
        throw new TransferInterruptedException(name);
      }
      long now = position.getAsLong();
      if (now > lastPosition) {
        failures = 0;
        lastPosition = now;
      }
      failures = lost instanceof ServerFailureException failed
        ? retryOnSameConnection(name, failed, failures)
        : reconnect(name, lost, failures);
    }
  }

  /**
   * The server failed the step but the connection is in step: wait, and the caller tries again
   * on it. A connection that is gone after all shows at the next try, as an {@link IOException}.
   *
   * @return the failures in a row, this one included
   */
  private int retryOnSameConnection(String name, ServerFailureException failed, int before) throws FerryException {
    int failures = before + 1;
    if (failures > retries) {
      if (failures == 1) {
        throw failed;
      }
      throw new TransferException(failed, "transfer.server-gave-up", failed.describe(messages), failures - 1);
    }
    long delay = delayMillis(failures);
    if (notices != null) {
      notices.println(messages.get("transfer.resuming", name, reason(failed), seconds(delay), failures, retries));
    }
    pause(delay, name);
    return failures;
  }

  /**
   * The connection was lost: wait, and log in again over a new one, as often as the retries
   * allow.
   *
   * @return the failures in a row, the ones of reconnecting included
   */
  private int reconnect(String name, Exception first, int before) throws FerryException {
    int failures = before;
    Exception lost = first;
    while (true) {
      failures++;
      if (failures > retries || !session.canReconnect()) {
        throw failures == 1
          ? new ConnectionException(lost, "transfer.lost", name, reason(lost))
          : new ConnectionException(lost, "transfer.gave-up", name, reason(lost), failures - 1);
      }
      long delay = delayMillis(failures);
      if (notices != null) {
        notices.println(messages.get("transfer.reconnecting", name, reason(lost), seconds(delay), failures, retries));
      }
      pause(delay, name);
      try {
        session.reconnect();
        return failures;
      } catch (ConnectionException e) {
        if (!TRANSIENT.contains(e.key())) {
          throw e;
        }
        lost = e;
      }
    }
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
  }

  private String reason(Exception e) {
    if (e instanceof FerryException f) {
      return f.describe(messages);
    }
    if (e instanceof EOFException) {
      return messages.get("transfer.closed");
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** Waits in slices so that Ctrl-C ends the wait at once. */
  private void pause(long millis, String name) throws TransferInterruptedException {
    long left = millis;
    try {
      while (left > 0) {
        if (cancellation.requested()) {
          throw new TransferInterruptedException(name);
        }
        long slice = Math.min(left, PAUSE_SLICE_MILLIS);
        sleeper.sleep(slice);
        left -= slice;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransferInterruptedException(name);
    }
    if (cancellation.requested()) {
      throw new TransferInterruptedException(name);
    }
  }
}
