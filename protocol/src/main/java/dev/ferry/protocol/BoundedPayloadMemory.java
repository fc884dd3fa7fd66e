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
 * the bytes back. The bytes of the waiters woken are promised to them until they run, so a
 * release wakes only those that fit, first come first served, and the others keep their place.
 */
public class BoundedPayloadMemory implements PayloadMemory {

  private record Waiter(long bytes, Context context, Runnable retry) {
  }

  private final long capacity;
  private final Deque<Waiter> waiting = new ArrayDeque<>();
  private long used;
  /** Bytes of waiters woken and not yet run: kept for them. */
  private long promised;

  /** @throws IllegalArgumentException when {@code capacity} is below 1 */
  public BoundedPayloadMemory(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("payload memory must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public synchronized boolean tryTake(long bytes) {
    if (!fits(bytes)) {
      return false;
    }
    used += bytes;
    return true;
  }

  private boolean fits(long bytes) {
    long held = used + promised;
    return held == 0 || held + bytes <= capacity;
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
    Waiter waiter = new Waiter(bytes, Vertx.currentContext(), retry);
    synchronized (this) {
      if (!waiting.isEmpty() || !fits(bytes)) {
        waiting.add(waiter);
        return;
      }
      promised += bytes;
    }
    wake(waiter);
  }

  @Override
  public void release(long bytes) {
    List<Waiter> woken = new ArrayList<>();
    synchronized (this) {
      used -= bytes;
      while (!waiting.isEmpty() && fits(waiting.peek().bytes())) {
        Waiter next = waiting.poll();
        promised += next.bytes();
        woken.add(next);
      }
    }
    woken.forEach(this::wake);
  }

  /** Runs a woken waiter on its context, its promised bytes given up just before it retries. */
  private void wake(Waiter waiter) {
    Runnable run = () -> {
      synchronized (this) {
        promised -= waiter.bytes();
      }
      waiter.retry().run();
    };
    if (waiter.context() == null) {
      run.run();
    } else {
      waiter.context().runOnContext(v -> run.run());
    }
  }

  public long capacity() {
    return capacity;
  }

  public synchronized long used() {
    return used;
  }
}
