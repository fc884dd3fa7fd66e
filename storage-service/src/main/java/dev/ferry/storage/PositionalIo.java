package dev.ferry.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Positional reads and writes of heap buffers, at most {@link #SLICE} bytes per call (a direct
 * buffer, such as a chunk the gateway received, is written whole). The JDK moves a heap buffer's
 * bytes through a temporary direct buffer as large as the call, and keeps it cached for the
 * thread: chunks of 1 MiB written and read on the worker pool pinned a MiB of direct memory per
 * worker thread, chunks of 4 MiB used up the 64 MiB the server's JVM allows (the writes failed).
 * In slices each thread caches at most {@link #SLICE} bytes.
 */
final class PositionalIo {

  static final int SLICE = 256 * 1024;

  private PositionalIo() {
  }

  /** Writes all of {@code bytes} at {@code position}; answers the position after them. Blocking. */
  static long writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
    if (bytes.isDirect()) {
      while (bytes.hasRemaining()) {
        position += channel.write(bytes, position);
      }
      return position;
    }
    ByteBuffer slice = bytes.duplicate();
    while (bytes.hasRemaining()) {
      slice.limit(Math.min(bytes.limit(), bytes.position() + SLICE)).position(bytes.position());
      int n = channel.write(slice, position);
      bytes.position(bytes.position() + n);
      position += n;
    }
    return position;
  }

  /** Reads into {@code bytes} from {@code position} until it is full or the file ends; answers the bytes read. Blocking. */
  static int readFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
    int start = bytes.position();
    ByteBuffer slice = bytes.duplicate();
    while (bytes.hasRemaining()) {
      slice.limit(Math.min(bytes.limit(), bytes.position() + SLICE)).position(bytes.position());
      int n = channel.read(slice, position + bytes.position() - start);
      if (n < 0) {
        break;
      }
      bytes.position(bytes.position() + n);
    }
    return bytes.position() - start;
  }
}
