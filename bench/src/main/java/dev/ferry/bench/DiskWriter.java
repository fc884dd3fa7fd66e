package dev.ferry.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Hashes received chunks on the caller's thread and writes them on a thread of its own, in order,
 * so that the socket is read (and TLS decrypted) while the previous chunks go to disk; writing
 * to the page cache is the longest of these steps. At most {@code depth} chunks wait.
 */
final class DiskWriter implements AutoCloseable {

  private final FileChannel out;
  private final MessageDigest digest;
  private final Semaphore room;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "disk-writer");
    t.setDaemon(true);
    return t;
  });
  private Future<?> last;

  DiskWriter(FileChannel out, MessageDigest digest, int depth) {
    this.out = out;
    this.digest = digest;
    this.room = new Semaphore(depth);
  }

  /** Queues {@code bytes}, which the caller must not touch again; waits while the queue is full. */
  void write(ByteBuffer bytes) throws IOException, InterruptedException {
    check();
    digest.update(bytes.duplicate());
    room.acquire();
    last = thread.submit(() -> {
      try {
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        return null;
      } finally {
        room.release();
      }
    });
  }

  /** Waits until every queued chunk is written; rethrows the first failure. */
  void finish() throws IOException, InterruptedException {
    if (last != null) {
      try {
        last.get();
      } catch (ExecutionException e) {
        throw new IOException("writing the download failed", e.getCause());
      }
    }
  }

  private void check() throws IOException, InterruptedException {
    if (last != null && last.isDone()) {
      finish();
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
