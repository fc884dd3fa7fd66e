package dev.ferry.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as storage uses it: lowercase hex, streamed from a channel with positional reads. */
final class Sha256 {

  /** Bytes hashed per read: large enough to keep the disk busy, no more than the JDK should cache per thread. */
  private static final int READ_BUFFER_BYTES = PositionalIo.SLICE;

  private Sha256() {
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The hex SHA-256 of a string's UTF-8 bytes: names files after a virtual path without its characters. */
  static String ofText(String text) {
    return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Feeds bytes {@code [0, length)} of {@code channel} to {@code digest} with positional reads (the
   * channel's own position is neither used nor moved). Blocking.
   *
   * @throws IOException also when the channel ends before {@code length} bytes
   */
  static void update(MessageDigest digest, FileChannel channel, long length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(READ_BUFFER_BYTES, Math.max(length, 1)));
    long position = 0;
    while (position < length) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new IOException("file ended at " + position + " of " + length + " bytes");
      }
      buffer.flip();
      digest.update(buffer);
      position += n;
    }
  }

  /** The hex SHA-256 of the first {@code length} bytes of {@code channel}. Blocking. */
  static String of(FileChannel channel, long length) throws IOException {
    MessageDigest digest = newDigest();
    update(digest, channel, length);
    return hex(digest);
  }
}
