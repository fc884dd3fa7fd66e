package dev.ferry.sftp.fs;

import dev.ferry.sftp.SftpOptions;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileSystemException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The file bytes all SFTP transfers of the door may hold at once (read-ahead blocks, upload
 * chunks gathered or on their way to storage), counted in KiB. A transfer waits for room on its
 * own SFTP thread, at most {@link SftpOptions#SERVICE_TIMEOUT}, then fails as busy.
 */
public final class TransferMemory {

  private final Semaphore kib;

  public TransferMemory(long bytes) {
    this.kib = new Semaphore((int) Math.min(Integer.MAX_VALUE, bytes >> 10));
  }

  void acquire(int bytes, String path) throws IOException {
    try {
      if (!kib.tryAcquire(kib(bytes), SftpOptions.SERVICE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new FileSystemException(path, null, "server busy, try again later");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for transfer memory");
    }
  }

  void release(int bytes) {
    kib.release(kib(bytes));
  }

  /** KiB free now (for tests and metrics). */
  public int availableKib() {
    return kib.availablePermits();
  }

  private static int kib(int bytes) {
    return (bytes + 1023) >> 10;
  }
}
