package dev.ferry.protocol;

/**
 * The memory every connection's frames share is spent, and this connection may not wait for it
 * (it has not logged in): the gateway answers {@code BUSY*MEMORY} and closes it, so that
 * strangers cannot hold the memory logged-in users need. Carries no stack trace: an expected
 * outcome of load.
 */
public final class FrameMemorySpentException extends RuntimeException {

  public FrameMemorySpentException() {
    super("frame memory spent", null, false, false);
  }
}
