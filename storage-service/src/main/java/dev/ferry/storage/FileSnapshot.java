package dev.ferry.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * A file as it was when it was opened: an open channel, its size and the SHA-256 of exactly the
 * bytes that channel reads.
 *
 * <p>PROTOCOL.md s4: "the server's checksum is of the file as it was when the download began (a
 * concurrent overwrite must not yield a mixed file)". Uploads publish by an atomic rename over
 * the name, which gives the name a new inode and leaves the old one, held open here, unchanged
 * and readable until it is closed.
 */
record FileSnapshot(FileChannel channel, long size, String sha256) implements Closeable {

  /**
   * Opens a regular file (through the held directory, never a link) and finds its digest: the stored one when it still describes the file,
   * else by hashing the open channel (and storing the result). Blocking.
   *
   * @throws io.vertx.core.eventbus.ReplyException NOT_FOUND, IS_A_DIRECTORY
   */
  static FileSnapshot open(JailedPath target, DigestStore digests) throws IOException {
    BasicFileAttributes before = target.attributes();
    FileChannel channel = target.openFile();
    try {
      long size = channel.size();
      // Attributes read on both sides of the open describe what the channel holds only if they
      // agree: otherwise the name was replaced in between, and only hashing the channel is safe.
      BasicFileAttributes after = attributesOrNull(target);
      boolean known = after != null && sameFile(before, after) && after.size() == size;
      String sha256 = known ? digests.lookup(target.path(), after).orElse(null) : null;
      if (sha256 == null) {
        sha256 = Sha256.of(channel, size);
        if (known) {
          digests.record(target.path(), after, sha256);
        }
      }
      return new FileSnapshot(channel, size, sha256);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private static BasicFileAttributes attributesOrNull(JailedPath target) {
    try {
      return target.attributesIfAny();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static boolean sameFile(BasicFileAttributes a, BasicFileAttributes b) {
    return Objects.equals(a.fileKey(), b.fileKey()) && a.size() == b.size()
      && a.lastModifiedTime().equals(b.lastModifiedTime());
  }
}
