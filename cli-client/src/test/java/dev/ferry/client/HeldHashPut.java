package dev.ferry.client;

import dev.ferry.client.command.RemoteSession;
import dev.ferry.client.transfer.Cancellation;
import dev.ferry.client.transfer.LocalChecksums;
import dev.ferry.client.transfer.Progress;
import dev.ferry.client.transfer.Reconnector;
import dev.ferry.client.transfer.Upload;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A put of one file into alice's home on a thread of its own, over {@code session}, while the
 * hash of the file that {@link LocalChecksums#prefetch} began is held until {@link #release}.
 */
final class HeldHashPut implements AutoCloseable {

  private final List<Runnable> hashing = new CopyOnWriteArrayList<>();
  private final CountDownLatch allStored = new CountDownLatch(1);
  private final ExecutorService runner = Executors.newSingleThreadExecutor();
  private final RemoteSession session;
  /** The put's outcome: the file's size. */
  final Future<Long> put;

  HeldHashPut(RemoteSession session, Path config, Path source) {
    this.session = session;
    LocalChecksums checksums = LocalChecksums.in(config, hashing::add);
    checksums.prefetch(List.of(source));
    assertThat(hashing).as("hashed ahead").hasSize(1);
    Cancellation none = Cancellation.none();
    Reconnector noRetries = new Reconnector(session, 0, none, null, Messages.forLocale(Locale.ENGLISH), Thread::sleep);
    Upload upload = new Upload(session, storedAll(), none, noRetries, checksums);
    String name = source.getFileName().toString();
    put = runner.submit(() -> upload.file(source, "/home/alice", name, false, name));
  }

  /** Waits until the server has acknowledged every byte of the file. */
  void awaitAllStored() throws InterruptedException {
    assertThat(allStored.await(60, TimeUnit.SECONDS)).as("every byte acknowledged before the file was hashed").isTrue();
  }

  /** Lets the hash run (on the calling thread). */
  void release() {
    hashing.forEach(Runnable::run);
  }

  /** A progress display that counts {@link #allStored} down once the transfer's every byte is acknowledged. */
  private Progress storedAll() {
    return new Progress() {
      private Phase phase;
      private long total;

      @Override
      public void begin(String name, Phase phase, long total, long at) {
        this.phase = phase;
        this.total = total;
      }

      @Override
      public void update(long at) {
        if (phase == Phase.TRANSFER && at == total) {
          allStored.countDown();
        }
      }

      @Override
      public void end(boolean completed) {
      }
    };
  }

  @Override
  public void close() {
    runner.shutdownNow();
    session.close();
  }
}
