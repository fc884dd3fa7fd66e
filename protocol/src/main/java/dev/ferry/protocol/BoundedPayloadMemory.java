package dev.ferry.protocol;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Frame memory of a fixed capacity: bytes are taken while they fit, and those that find it
 * spent are called back in arrival order as bytes come back. One request larger than the whole
 * capacity still goes through when nothing else is held, so no frame can wait forever.
 *
 * <p>Shared by the event loops of a gateway's instances: its counts are taken under a lock, and
 * a waiter is called back on the Vert.x context it waited from, never inside the call that gave
 * the bytes back.
 */
public class BoundedPayloadMemory implements PayloadMemory {

  private record Waiter(Context context, Runnable retry) {
    void run() {
      if (context == null) {
        retry.run();
      } else {
        context.runOnContext(v -> retry.run());
      }
    }
  }

  private final long capacity;
  private final Deque<Waiter> waiting = new ArrayDeque<>();
  private long used;

  /** @throws IllegalArgumentException when {@code capacity} is below 1 */
  public BoundedPayloadMemory(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("payload memory must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public synchronized boolean tryTake(long bytes) {
    if (used > 0 && used + bytes > capacity) {
      return false;
    }
    used += bytes;
    return true;
  }

  /** Takes bytes that are already in memory, whether they fit or not. */
  public synchronized void take(long bytes) {
    used += bytes;
  }

  public synchronized boolean spent() {
    return used >= capacity;
  }

  /**
   * Queues {@code retry} until bytes come back; called at once (on its context) when
   * {@code bytes} fit already, as they may if another thread gave some back since the caller's
   * take failed.
   */
  @Override
  public void whenAvailable(long bytes, Runnable retry) {
    Waiter waiter = new Waiter(Vertx.currentContext(), retry);
    synchronized (this) {
      if (used > 0 && used + bytes > capacity) {
        waiting.add(waiter);
        return;
      }
    }
    waiter.run();
  }

  @Override
  public void release(long bytes) {
    List<Waiter> woken = new ArrayList<>();
    synchronized (this) {
      used -= bytes;
      for (int n = waiting.size(); n > 0 && used < capacity; n--) {
        woken.add(waiting.poll());
      }
    }
    woken.forEach(Waiter::run);
  }

  public long capacity() {
    return capacity;
  }

  public synchronized long used() {
    return used;
  }
}
