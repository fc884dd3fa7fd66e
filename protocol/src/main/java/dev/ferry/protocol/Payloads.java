package dev.ferry.protocol;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.nio.ByteBuffer;

/**
 * File bytes between a {@link Buffer} and the JDK's {@link ByteBuffer} without copying them:
 * {@code Buffer.buffer(byte[])} and {@code Buffer.getBytes()} each copy, which for every chunk
 * of a transfer is a megabyte allocated, zeroed and copied for nothing.
 */
public final class Payloads {

  private Payloads() {
  }

  /** A buffer over {@code bytes} themselves, which the caller must not change afterwards. */
  public static Buffer wrap(byte[] bytes) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
  }

  /** A buffer over the first {@code length} of {@code bytes} themselves, which the caller must not change afterwards. */
  public static Buffer wrap(byte[] bytes, int length) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes, 0, length));
  }

  /**
   * The bytes of {@code buffer} as a {@link ByteBuffer} sharing its memory, from position 0 to its
   * length: for reading only (writing to disk, hashing), while nothing changes the buffer.
   */
  public static ByteBuffer view(Buffer buffer) {
    return ((BufferInternal) buffer).getByteBuf().nioBuffer();
  }
}
