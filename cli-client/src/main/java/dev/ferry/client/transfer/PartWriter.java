package dev.ferry.client.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hashes a download's chunks and writes them to its {@code .part}, each on a thread of its own
 * and in order, so that the next chunk is read from the socket (and decrypted) while the last
 * ones are hashed and go to disk: those are the slowest steps of a download. At most
 * {@link #DEPTH} chunks wait. A failed write is thrown by the next call; {@link #close} waits
 * for what is queued, so nothing writes to the file once the download has returned or thrown.
 * Every {@link #FLUSH_EVERY} bytes a third thread starts the disk on what was written, so the
 * force before the {@code .part} is published has only the tail left (a whole gibibyte at the
 * end took most of a second here, after the transfer).
 */
final class PartWriter implements AutoCloseable {

  static final int DEPTH = 4;
  static final long FLUSH_EVERY = 32L << 20;

  private final FileChannel channel;
  private final Path file;
  private final MessageDigest digest;
  private final Semaphore room = new Semaphore(DEPTH);
  private final ExecutorService writing = Executors.newSingleThreadExecutor(task -> daemon(task, "ferry-part-writer"));
  private final ExecutorService hashing = Executors.newSingleThreadExecutor(task -> daemon(task, "ferry-part-hasher"));
  private final ExecutorService flushing = Executors.newSingleThreadExecutor(task -> daemon(task, "ferry-part-flusher"));
  /** Bytes written since the last flush began; only the writing thread uses it. */
  private long unflushed;
  private final AtomicBoolean flushRunning = new AtomicBoolean();
  private volatile RuntimeException runtimeFailure;
  private volatile TransferException failure;

  /** Writes chunks to {@code channel} (of {@code file}) and feeds them to {@code digest}. */
  PartWriter(FileChannel channel, Path file, MessageDigest digest) {
    this.channel = channel;
    this.file = file;
    this.digest = digest;
  }

  private static Thread daemon(Runnable task, String name) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Queues {@code bytes}, which the caller must not change afterwards; waits while {@link #DEPTH}
   * chunks wait. The digest is complete once {@link #drain} has returned.
   */
  void write(ByteBuffer bytes) throws TransferException {
    write(bytes, () -> { });
  }

  /** As {@link #write(ByteBuffer)}; {@code release} runs once the bytes are hashed and written (or skipped). */
  void write(ByteBuffer bytes, Runnable release) throws TransferException {
    rethrow();
    // Both threads always move on (a hash, a disk write), so the wait is bounded.
    room.acquireUninterruptibly();
    AtomicInteger pending = new AtomicInteger(2);
    Runnable done = () -> {
      if (pending.decrementAndGet() == 0) {
        release.run();
        room.release();
      }
    };
    hashing.execute(() -> {
      try {
        digest.update(bytes.duplicate());
      } catch (RuntimeException e) {
        runtimeFailure = e;
      } finally {
        done.run();
      }
    });
    writing.execute(() -> {
      try {
        if (failure == null && runtimeFailure == null) {
          ByteBuffer chunk = bytes.duplicate();
          unflushed += chunk.remaining();
          LocalFiles.writeFully(channel, chunk, file);
          flushIfDue();
        }
      } catch (TransferException e) {
        failure = e;
      } catch (RuntimeException e) {
        runtimeFailure = e;
      } finally {
        done.run();
      }
    });
  }

  /** On the writing thread: a flush of what is written, once enough is and none runs yet. */
  private void flushIfDue() {
    if (unflushed < FLUSH_EVERY || !flushRunning.compareAndSet(false, true)) {
      return;
    }
    unflushed = 0;
    flushing.execute(() -> {
      try {
        channel.force(false);
      } catch (IOException | RuntimeException e) {
        // The force before publishing meets the same failure and reports it.
      } finally {
        flushRunning.set(false);
      }
    });
  }

  /** Waits until every queued chunk is hashed and written; throws the first failure. */
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
    writing.shutdown();
    hashing.shutdown();
    flushing.shutdown();
    // The channel closes after this returns: no flush may still use it.
    boolean interrupted = false;
    while (true) {
      try {
        if (flushing.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
