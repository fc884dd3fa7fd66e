package dev.ferry.client.transfer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C during a transfer, seen from the transfer's thread. The first press asks the transfer
 * to stop the way the protocol cancels (the server keeps or the client keeps what arrived); a
 * second press, for a server that does not answer, drops the connection at once.
 */
public final class Cancellation {

  private final AtomicInteger presses = new AtomicInteger();
  private final Runnable hardStop;

  /** @param hardStop what the second press does: close the connection */
  public Cancellation(Runnable hardStop) {
    this.hardStop = hardStop;
  }

  /** A cancellation that is never asked for by a key, only by tests and callers through {@link #press}. */
  public static Cancellation none() {
    return new Cancellation(() -> { });
  }

  /** Called from the signal handler's thread. */
  public void press() {
    if (presses.incrementAndGet() == 2) {
      hardStop.run();
    }
  }

  public boolean requested() {
    return presses.get() > 0;
  }

  /** Whether the connection was dropped by a second press (the session needs a new one). */
  public boolean hardStopped() {
    return presses.get() >= 2;
  }
}
