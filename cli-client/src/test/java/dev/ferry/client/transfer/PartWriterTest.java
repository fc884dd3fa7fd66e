package dev.ferry.client.transfer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A download's chunks written on a thread of their own. */
class PartWriterTest {

  @TempDir
  Path dir;

  @Test
  void writesEveryChunkInOrderBeforeDrainReturns() throws Exception {
    Path file = dir.resolve("a.part");
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         PartWriter writer = new PartWriter(channel, file, Sha256.newDigest())) {
      for (int i = 0; i < 4 * PartWriter.DEPTH; i++) {
        byte[] chunk = new byte[1000 + i];
        java.util.Arrays.fill(chunk, (byte) i);
        expected.write(chunk);
        writer.write(java.nio.ByteBuffer.wrap(chunk));
      }
      writer.drain();
      assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
    }
  }

  @Test
  void aFailedWriteIsThrownByTheNextCall() throws Exception {
    Path file = dir.resolve("b.part");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try (PartWriter writer = new PartWriter(channel, file, Sha256.newDigest())) {
      channel.close();
      writer.write(java.nio.ByteBuffer.allocate(10));
      assertThatThrownBy(writer::drain).isInstanceOf(TransferException.class);
      assertThatThrownBy(() -> writer.write(java.nio.ByteBuffer.allocate(10))).isInstanceOf(TransferException.class);
    }
  }

  @Test
  void eachChunkIsHashedInOrderAndReleasedOnceHashedAndWritten() throws Exception {
    Path file = dir.resolve("c.part");
    java.security.MessageDigest digest = Sha256.newDigest();
    java.security.MessageDigest expected = Sha256.newDigest();
    java.util.concurrent.atomic.AtomicInteger released = new java.util.concurrent.atomic.AtomicInteger();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         PartWriter writer = new PartWriter(channel, file, digest)) {
      for (int i = 0; i < 3 * PartWriter.DEPTH; i++) {
        byte[] chunk = new byte[4096 + i];
        java.util.Arrays.fill(chunk, (byte) (i * 7));
        expected.update(chunk);
        writer.write(java.nio.ByteBuffer.wrap(chunk), released::incrementAndGet);
      }
      writer.drain();
      assertThat(released).hasValue(3 * PartWriter.DEPTH);
      assertThat(digest.digest()).isEqualTo(expected.digest());
    }
  }
}
