package dev.ferry.client.transfer;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of local files, in the lower-case hex the protocol sends. */
final class Sha256 {

  private static final int BLOCK = 1 << 20;

  private Sha256() {
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /**
   * Feeds bytes {@code [0, end)} of {@code channel} (reading {@code file}) into {@code digest},
   * shown as a checksum phase, stopping at Ctrl-C.
   *
   * @throws TransferException if the file cannot be read, or is shorter than {@code end}
   */
  static void update(MessageDigest digest, FileChannel channel, Path file, long end, String name, Progress progress,
                     Cancellation cancellation) throws TransferException, TransferInterruptedException {
    progress.begin(name, Progress.Phase.CHECKSUM, end, 0);
    boolean completed = false;
    try {
      ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
      long position = 0;
      while (position < end) {
        if (cancellation.requested()) {
          throw new TransferInterruptedException(name);
        }
        buffer.clear().limit((int) Math.min(BLOCK, end - position));
        int n = LocalFiles.read(channel, buffer, position, file);
        if (n < 0) {
          throw new TransferException("local.changed", file);
        }
        digest.update(buffer.array(), 0, n);
        position += n;
        progress.update(position);
      }
      completed = true;
    } finally {
      progress.end(completed);
    }
  }
}
