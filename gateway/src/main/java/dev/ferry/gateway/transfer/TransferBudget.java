package dev.ferry.gateway.transfer;

import dev.ferry.protocol.PayloadMemory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The bytes of file data all transfers of one gateway may hold at once: chunks read from storage
 * and not yet written to a client, and chunks received from clients and not yet stored. Each
 * transfer is bounded by its window; this bounds their sum, so many clients cost at most this
 * much memory rather than their number times the window.
 *
 * <p>It also bounds the frames clients are sending: each connection's frame decoder takes a
 * payload's bytes before receiving it ({@link PayloadMemory}), so a thousand clients uploading at
 * once hold this much between them, not a thousand max payloads.
 *
 * <p>Used from the gateway's event loop only. Transfers that find it spent wait in arrival order
 * and are called back as bytes come back.
 */
public final class TransferBudget implements PayloadMemory {

  private final long capacity;
  private final Deque<Runnable> waiting = new ArrayDeque<>();
  private long used;

  public TransferBudget(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("transfer memory must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Takes {@code bytes} if they fit; a request larger than the whole budget still goes through
   * when nothing else is held, so no chunk can wait forever.
   */
  @Override
  public boolean tryTake(long bytes) {
    if (used > 0 && used + bytes > capacity) {
      return false;
    }
    used += bytes;
    return true;
  }

  /** Takes bytes that are already in memory (a chunk a client sent). */
  void take(long bytes) {
    used += bytes;
  }

  boolean spent() {
    return used >= capacity;
  }

  /** Calls {@code retry} once bytes come back. */
  @Override
  public void whenAvailable(Runnable retry) {
    waiting.add(retry);
  }

  @Override
  public void release(long bytes) {
    used -= bytes;
    for (int n = waiting.size(); n > 0 && !spent(); n--) {
      waiting.poll().run();
    }
  }

  long used() {
    return used;
  }
}
