package dev.ferry.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * Memory for frame payloads, shared by the connections of one server: a {@link FrameDecoder}
 * takes a payload's bytes before it allocates them and gives them back once the frame has been
 * handled, and a decoder that finds the memory spent stops reading its connection until bytes
 * come back. Without it, each connection receiving a payload holds up to the max payload of heap,
 * and enough connections at once exhaust it.
 *
 * <p>Implementations shared by several event loops must be thread-safe.
 */
public interface PayloadMemory {

  /** No bound: for tests and clients, which hold one connection's frames. */
  PayloadMemory UNBOUNDED = new PayloadMemory() {
    @Override
    public boolean tryTake(long bytes) {
      return true;
    }

    @Override
    public void whenAvailable(long bytes, Runnable retry) {
      retry.run();
    }

    @Override
    public void release(long bytes) {
    }
  };

  /** Takes {@code bytes} if they fit now. */
  boolean tryTake(long bytes);

  /**
   * Calls {@code retry}, on the caller's Vert.x context, once {@code bytes} may fit: after bytes
   * have come back (it may find them taken again by then).
   */
  void whenAvailable(long bytes, Runnable retry);

  void release(long bytes);

  /**
   * An empty buffer to receive a payload of {@code length} bytes, taken before: by default one
   * of the heap; a server may hand out buffers it keeps for reuse ({@link #recycle}).
   */
  default Buffer allocate(int length) {
    return Buffer.buffer(length);
  }

  /**
   * Takes back a payload buffer {@link #allocate} gave, for reuse: only once nothing reads or
   * writes it any more, nor ever will. A buffer never given back is simply collected.
   */
  default void recycle(Buffer payload) {
  }
}
