package dev.ferry.gateway.transfer;

import dev.ferry.protocol.BoundedPayloadMemory;
import dev.ferry.protocol.PayloadMemory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

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
 * <p>The chunks clients send are received into direct buffers it keeps for reuse: storage writes
 * them to disk without the copy through a temporary direct buffer the JDK makes of a heap
 * buffer, and no chunk is allocated, zeroed and collected. A 1 GiB upload cost the server 0.2 s
 * of CPU in that copy, and most of its garbage collections, before. A buffer comes back only
 * when the storage node answered its write, so it is done with it ({@link #recycle}); a buffer
 * whose fate is unknown (a timeout) is left to the garbage collector, never reused. At most the
 * capacity of them is kept free, and no more than the capacity is in use (the decoders take
 * before they allocate), so chunks take at most twice the capacity of direct memory; when it
 * runs out, the heap takes over.
 *
 * <p>Shared by the event loops of all gateway instances of a process. Transfers that find it
 * spent wait in arrival order and are called back, on their own event loop, as bytes come back.
 */
public final class TransferBudget extends BoundedPayloadMemory {

  /** Payloads below this are received into heap buffers: small, rare, and cheap to copy. */
  static final int MIN_POOLED = 64 << 10;
  private static final Deque<ByteBuffer> NONE = new ArrayDeque<>(0);

  /** Free payload buffers by size, a power of two; at most the capacity in bytes of them. */
  private final Map<Integer, Deque<ByteBuffer>> free = new HashMap<>();
  private long freeBytes;

  /** @throws IllegalArgumentException when {@code capacity} is below 1 */
  public TransferBudget(long capacity) {
    super(capacity);
  }

  /**
   * An empty buffer for a payload: a kept direct buffer of that size when one is free, else a
   * new one. Payloads below {@link #MIN_POOLED} or whose size is no power of two (the last chunk
   * of a file, a client's odd chunk size) are received into the heap, as they would never be
   * reused.
   */
  @Override
  public Buffer allocate(int length) {
    if (!pooled(length)) {
      return Buffer.buffer(length);
    }
    ByteBuffer memory = takeFree(length);
    if (memory == null) {
      try {
        memory = ByteBuffer.allocateDirect(length);
      } catch (OutOfMemoryError directMemorySpent) {
        // -XX:MaxDirectMemorySize reached (TLS and socket buffers share it): the heap will do.
        return Buffer.buffer(length);
      }
    }
    return BufferInternal.buffer(Unpooled.wrappedBuffer(memory).clear());
  }

  private synchronized ByteBuffer takeFree(int length) {
    ByteBuffer memory = free.getOrDefault(length, NONE).poll();
    if (memory != null) {
      freeBytes -= length;
    }
    return memory;
  }

  /**
   * Keeps a payload buffer {@link #allocate} gave, now that nothing uses it: storage answered
   * its write, successfully or not (an answer comes after the node's last use of it).
   */
  @Override
  public void recycle(Buffer payload) {
    ByteBuf bytes = ((BufferInternal) payload).getByteBuf();
    int size = bytes.readableBytes();
    if (!bytes.isDirect() || !pooled(size) || bytes.capacity() != size) {
      return;
    }
    keep(bytes.nioBuffer(), size);
  }

  private synchronized void keep(ByteBuffer memory, int size) {
    if (freeBytes + size > capacity()) {
      return;
    }
    free.computeIfAbsent(size, s -> new ArrayDeque<>()).push(memory);
    freeBytes += size;
  }

  private static boolean pooled(int length) {
    return length >= MIN_POOLED && Integer.bitCount(length) == 1;
  }

  synchronized long freeBytes() {
    return freeBytes;
  }
}
