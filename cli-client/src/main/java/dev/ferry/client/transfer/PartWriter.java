package dev.ferry.client.transfer;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Writes a download's chunks to its {@code .part} on a thread of its own, in order, so that the
 * next chunk is read from the socket (and decrypted) while the last one goes to disk: writing to
 * the page cache is the slowest step of a download. At most {@link #DEPTH} chunks wait. A failed
 * write is thrown by the next call; {@link #close} waits for what is queued, so nothing writes
 * to the file once the download has returned or thrown.
 */
final class PartWriter implements AutoCloseable {

  static final int DEPTH = 4;

  private final FileChannel channel;
  private final Path file;
  private final Semaphore room = new Semaphore(DEPTH);
  private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
    Thread t = new Thread(task, "ferry-part-writer");
    t.setDaemon(true);
    return t;
  });
  private volatile RuntimeException runtimeFailure;
  private volatile TransferException failure;

  PartWriter(FileChannel channel, Path file) {
    this.channel = channel;
    this.file = file;
  }

  /** Queues {@code bytes}, which the caller must not change afterwards; waits while {@link #DEPTH} chunks wait. */
  void write(ByteBuffer bytes) throws TransferException {
    rethrow();
    // The writer always moves on (a disk write), so the wait is bounded.
    room.acquireUninterruptibly();
    thread.execute(() -> {
      try {
        if (failure == null && runtimeFailure == null) {
          LocalFiles.writeFully(channel, bytes, file);
        }
      } catch (TransferException e) {
        failure = e;
      } catch (RuntimeException e) {
        runtimeFailure = e;
      } finally {
        room.release();
      }
    });
  }

  /** Waits until every queued chunk is written; throws the first failure. */
  void drain() throws TransferException {
    room.acquireUninterruptibly(DEPTH);
    room.release(DEPTH);
    rethrow();
  }

  private void rethrow() throws TransferException {
    if (failure != null) {
      throw failure;
    }
    if (runtimeFailure != null) {
      throw runtimeFailure;
    }
  }

  @Override
  public void close() {
    room.acquireUninterruptibly(DEPTH);
    room.release(DEPTH);
    thread.shutdown();
  }
}
