package dev.ferry.protocol.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Replaces a small file so that a crash at any moment leaves either the old content or the new
 * one, never a mix: write a temp file beside it, force it to disk, rename it over the target in
 * one atomic step, then force the directory so the rename itself survives a power cut.
 *
 * <p>Blocking: call it from a worker thread ({@code executeBlocking}), never an event loop.
 */
public final class AtomicFile {

  /** Suffix of the temp files; a leftover one is the debris of a crash and is ignored on load. */
  public static final String TEMP_SUFFIX = ".tmp";

  private AtomicFile() {
  }

  /**
   * Replaces {@code target} with {@code content}. The file is private to the server's user
   * (0600, {@link PrivateFiles}) from the moment its temp file exists, and so is a directory
   * this creates for it (0700).
   */
  public static void write(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    PrivateFiles.createDirectories(dir);
    Path temp = tempFor(target);
    try (FileChannel ch = openTemp(temp)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    forceDirectory(dir);
  }

  /** The temp file a write of {@code target} by this thread uses. */
  static Path tempFor(Path target) {
    Path dir = target.toAbsolutePath().getParent();
    return dir.resolve(target.getFileName() + "." + ProcessHandle.current().pid() + "." + Thread.currentThread().getId()
      + TEMP_SUFFIX);
  }

  /**
   * Creates the temp file new, with private permissions given at creation: a leftover of a crash
   * is removed first, since opening an existing file would keep whatever mode it had.
   */
  static FileChannel openTemp(Path temp) throws IOException {
    Files.deleteIfExists(temp);
    return FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
      PrivateFiles.fileAttributes(temp.getParent()));
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory for sync; the rename is still atomic there.
    }
  }
}
