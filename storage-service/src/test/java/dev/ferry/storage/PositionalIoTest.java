package dev.ferry.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class PositionalIoTest {

  @TempDir
  Path dir;

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  @Test
  void writesAndReadsWholeBuffersAtAPositionInSlices() throws Exception {
    byte[] content = random(3 * PositionalIo.SLICE + 17);
    Path file = dir.resolve("f.bin");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      assertThat(PositionalIo.writeFully(channel, ByteBuffer.wrap(content), 100)).isEqualTo(100 + content.length);
      assertThat(channel.position()).as("the channel's own position").isZero();
      ByteBuffer back = ByteBuffer.allocate(content.length);
      assertThat(PositionalIo.readFully(channel, back, 100)).isEqualTo(content.length);
      assertThat(back.array()).isEqualTo(content);
      ByteBuffer pastTheEnd = ByteBuffer.allocate(content.length);
      assertThat(PositionalIo.readFully(channel, pastTheEnd, 100 + content.length - 5)).as("short at the end").isEqualTo(5);
      assertThat(Arrays.copyOf(pastTheEnd.array(), 5)).isEqualTo(Arrays.copyOfRange(content, content.length - 5, content.length));
    }
    assertThat(Files.size(file)).isEqualTo(100 + content.length);
  }

  @Test
  void writesADirectBufferAsItIs() throws Exception {
    byte[] content = random(2 * PositionalIo.SLICE + 5);
    ByteBuffer direct = ByteBuffer.allocateDirect(content.length).put(content).flip();
    Path file = dir.resolve("d.bin");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      assertThat(PositionalIo.writeFully(channel, direct, 7)).isEqualTo(7 + content.length);
    }
    assertThat(direct.hasRemaining()).isFalse();
    assertThat(Arrays.copyOfRange(Files.readAllBytes(file), 7, 7 + content.length)).isEqualTo(content);
  }

  /** The JDK caches, per thread, a direct buffer as large as the largest heap-buffer I/O call. */
  @Test
  void aLargeWriteLeavesAtMostASliceOfDirectMemoryCachedOnItsThread() throws Exception {
    byte[] content = random(8 << 20);
    Path file = dir.resolve("big.bin");
    AtomicLong grown = new AtomicLong();
    Thread thread = new Thread(() -> {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        long before = directMemoryUsed();
        PositionalIo.writeFully(channel, ByteBuffer.wrap(content), 0);
        PositionalIo.readFully(channel, ByteBuffer.allocate(content.length), 0);
        grown.set(directMemoryUsed() - before);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    thread.start();
    thread.join();
    assertThat(grown.get()).isBetween(0L, (long) PositionalIo.SLICE);
    assertThat(Files.readAllBytes(file)).isEqualTo(content);
  }

  private static long directMemoryUsed() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
      .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
  }
}
