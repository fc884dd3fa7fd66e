package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * A path that passed {@link HomeJail}, held open: the directory that holds its entry, reached
 * from the files root one component at a time without following a link, and the entry's name
 * in it. Everything done to the entry goes through that directory handle (openat, fstatat,
 * renameat, unlinkat, none following a link), so what was checked is what is used: renaming a
 * directory on the way, or swapping a link into it, afterwards changes nothing about where the
 * operation acts. The real path is never sent to a client (PROTOCOL.md section 2).
 *
 * <p>Holds a file descriptor: close it. Blocking: use it on a worker thread.
 */
final class JailedPath implements Closeable {

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final String path;
  private final SecureDirectoryStream<Path> dir;
  /** The entry's name in {@link #dir}, or null when the entry is that directory itself (the files root). */
  private final Path name;

  JailedPath(String path, SecureDirectoryStream<Path> dir, Path name) {
    this.path = path;
    this.dir = dir;
    this.name = name;
  }

  /** The normalised virtual path. */
  String path() {
    return path;
  }

  /**
   * The attributes of the entry; NOT_FOUND when it does not exist, NO_PERMISSION when it is a
   * symbolic link (links are never followed).
   */
  BasicFileAttributes attributes() throws IOException {
    BasicFileAttributes attributes = attributesIfAny();
    if (attributes == null) {
      throw Failure.NOT_FOUND.exception();
    }
    return attributes;
  }

  /** As {@link #attributes}, but null when the entry does not exist. */
  BasicFileAttributes attributesIfAny() throws IOException {
    BasicFileAttributes attributes = ownAttributesIfAny();
    if (attributes != null && attributes.isSymbolicLink()) {
      throw Failure.NO_PERMISSION.exception();
    }
    return attributes;
  }

  /** The attributes of the entry itself, a link included; null when it does not exist. */
  BasicFileAttributes ownAttributesIfAny() throws IOException {
    if (name == null) {
      return dir.getFileAttributeView(BasicFileAttributeView.class).readAttributes();
    }
    return statOrNull(dir, name);
  }

  /** The entry as a directory; NOT_FOUND when it is none, NO_PERMISSION for a link. */
  SecureDirectoryStream<Path> openDirectory() throws IOException {
    if (name == null) {
      return dir.newDirectoryStream(Path.of("."), NOFOLLOW);
    }
    return openDirectory(dir, name);
  }

  /**
   * The entry opened for reading: a regular file, never through a link. IS_A_DIRECTORY for a
   * directory, NOT_FOUND for anything else (a pipe or a device would block the reader forever).
   */
  FileChannel openFile() throws IOException {
    BasicFileAttributes attributes = attributes();
    if (attributes.isDirectory()) {
      throw Failure.IS_A_DIRECTORY.exception();
    }
    if (!attributes.isRegularFile()) {
      throw Failure.NOT_FOUND.exception();
    }
    SeekableByteChannel channel;
    try {
      channel = dir.newByteChannel(name, Set.of(StandardOpenOption.READ, NOFOLLOW));
    } catch (NoSuchFileException e) {
      throw Failure.NOT_FOUND.exception();
    } catch (IOException e) {
      // Replaced by a link since the check (ELOOP), or by something else that cannot be read.
      throw Failure.NO_PERMISSION.exception();
    }
    if (channel instanceof FileChannel file) {
      return file;
    }
    channel.close();
    throw new IOException("this platform's secure directory streams open no file channels");
  }

  /** Removes the entry itself, a link included (never what it points to). */
  void delete(boolean directory) throws IOException {
    requireEntry();
    if (directory) {
      dir.deleteDirectory(name);
    } else {
      dir.deleteFile(name);
    }
  }

  /** Renames the entry to {@code target}, replacing what is there (rename(2)). */
  void moveTo(JailedPath target) throws IOException {
    requireEntry();
    target.requireEntry();
    dir.move(name, target.dir, target.name);
  }

  /** Renames {@code source} of the trusted directory {@code from} to this entry, replacing what is there. */
  void receive(SecureDirectoryStream<Path> from, Path source) throws IOException {
    requireEntry();
    from.move(source, dir, name);
  }

  /** Makes renames in the entry's directory durable; some file systems cannot, which is logged. */
  void forceDirectory() {
    try (SeekableByteChannel self = dir.newByteChannel(Path.of("."), Set.of(StandardOpenOption.READ))) {
      if (self instanceof FileChannel channel) {
        channel.force(true);
      }
    } catch (IOException e) {
      System.getLogger(JailedPath.class.getName()).log(System.Logger.Level.DEBUG,
        () -> "cannot force the directory of " + path + ": " + e);
    }
  }

  @Override
  public void close() throws IOException {
    dir.close();
  }

  private void requireEntry() {
    if (name == null) {
      throw Failure.NO_PERMISSION.exception(); // the files root itself is never removed or moved
    }
  }

  /** The attributes of {@code name} in {@code dir}, not following a link; null when it does not exist. */
  static BasicFileAttributes statOrNull(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    try {
      return dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * The directory {@code name} in {@code dir}, never through a link: NOT_FOUND when it is missing
   * or no directory, NO_PERMISSION when it is a link. Checked before the open so that the open
   * never blocks on a pipe; the open itself refuses a link that was swapped in meanwhile.
   */
  static SecureDirectoryStream<Path> openDirectory(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    BasicFileAttributes attributes = statOrNull(dir, name);
    if (attributes == null) {
      throw Failure.NOT_FOUND.exception();
    }
    if (attributes.isSymbolicLink()) {
      throw Failure.NO_PERMISSION.exception();
    }
    if (!attributes.isDirectory()) {
      throw Failure.NOT_FOUND.exception();
    }
    try {
      return dir.newDirectoryStream(name, NOFOLLOW);
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw Failure.NOT_FOUND.exception();
    } catch (FileSystemException e) {
      throw Failure.NO_PERMISSION.exception(); // a link swapped in since the check (ELOOP)
    }
  }
}
