package dev.ferry.client.transfer;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Arrays for a download's chunks, used again once the {@link PartWriter} is done with them: a
 * fresh megabyte for every chunk would be allocated, zeroed and collected for nothing. At most
 * {@code kept} free arrays are held; thread-safe.
 */
final class ChunkArrays {

  private final ArrayBlockingQueue<byte[]> free;

  ChunkArrays(int kept) {
    this.free = new ArrayBlockingQueue<>(kept);
  }

  /** A free array of at least {@code length} bytes, or a new one. */
  byte[] take(int length) {
    byte[] array;
    while ((array = free.poll()) != null) {
      if (array.length >= length) {
        return array;
      }
    }
    return new byte[length];
  }

  /** {@code array} is free again. */
  void give(byte[] array) {
    free.offer(array);
  }
}
