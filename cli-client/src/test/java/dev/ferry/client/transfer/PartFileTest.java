package dev.ferry.client.transfer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The LOCAL.part file a download writes into and resumes from. */
class PartFileTest {

  @TempDir
  Path dir;

  @Test
  void sitsBesideTheTargetAndStartsEmpty() throws Exception {
    PartFile part = new PartFile(dir.resolve("a.bin"));
    assertThat(part.path()).isEqualTo(dir.resolve("a.bin.part"));
    assertThat(part.length()).isZero();
    try (FileChannel channel = part.openForResume(10)) {
      assertThat(channel.position()).isZero();
    }
    assertThat(part.path()).exists();
  }

  @Test
  void resumesAtTheEndOfWhatIsThere() throws Exception {
    PartFile part = new PartFile(dir.resolve("a.bin"));
    Files.write(part.path(), new byte[] {1, 2, 3});
    assertThat(part.length()).isEqualTo(3);
    try (FileChannel channel = part.openForResume(10)) {
      assertThat(channel.position()).isEqualTo(3);
      channel.write(ByteBuffer.wrap(new byte[] {4, 5}));
    }
    assertThat(Files.readAllBytes(part.path())).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void aPartLongerThanTheFileStartsOver() throws Exception {
    PartFile part = new PartFile(dir.resolve("a.bin"));
    Files.write(part.path(), new byte[20]);
    try (FileChannel channel = part.openForResume(10)) {
      assertThat(channel.size()).isZero();
      assertThat(channel.position()).isZero();
    }
  }

  @Test
  void aCompletePartIsKept() throws Exception {
    PartFile part = new PartFile(dir.resolve("a.bin"));
    Files.write(part.path(), new byte[10]);
    try (FileChannel channel = part.openForResume(10)) {
      assertThat(channel.position()).isEqualTo(10);
    }
  }

  @Test
  void publishingReplacesTheTargetInOneStep() throws Exception {
    Path target = dir.resolve("a.bin");
    Files.writeString(target, "old");
    PartFile part = new PartFile(target);
    Files.writeString(part.path(), "new");
    part.publish();
    assertThat(target).hasContent("new");
    assertThat(part.path()).doesNotExist();
  }

  @Test
  void deletingTwiceIsFine() throws Exception {
    PartFile part = new PartFile(dir.resolve("a.bin"));
    Files.writeString(part.path(), "bad");
    part.delete();
    part.delete();
    assertThat(part.path()).doesNotExist();
  }
}
