package dev.ferry.protocol;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Payload memory of a fixed capacity: bytes are taken while they fit, and decoders that find it
 * spent are called back in arrival order as bytes come back. One request larger than the whole
 * capacity still goes through when nothing else is held, so no frame can wait forever.
 *
 * <p>Used from one thread (an event loop).
 */
public class BoundedPayloadMemory implements PayloadMemory {

  private final long capacity;
  private final Deque<Runnable> waiting = new ArrayDeque<>();
  private long used;

  /** @throws IllegalArgumentException when {@code capacity} is below 1 */
  public BoundedPayloadMemory(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("payload memory must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public boolean tryTake(long bytes) {
    if (used > 0 && used + bytes > capacity) {
      return false;
    }
    used += bytes;
    return true;
  }

  /** Takes bytes that are already in memory, whether they fit or not. */
  public void take(long bytes) {
    used += bytes;
  }

  public boolean spent() {
    return used >= capacity;
  }

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

  public long capacity() {
    return capacity;
  }

  public long used() {
    return used;
  }
}
