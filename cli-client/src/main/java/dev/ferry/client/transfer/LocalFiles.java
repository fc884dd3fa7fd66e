package dev.ferry.client.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Local file operations of transfers, their failures turned into {@link TransferException}s.
 * An {@link IOException} that reaches a transfer's retry loop must mean the connection was
 * lost: a full disk is not cured by reconnecting.
 */
final class LocalFiles {

  private LocalFiles() {
  }

  /** In plain words: the file, and what went wrong with it ("No space left on device", ...). */
  static TransferException failure(IOException e, Path file) {
    if (e instanceof NoSuchFileException) {
      return new TransferException(e, "local.not-found", file);
    }
    if (e instanceof AccessDeniedException) {
      return new TransferException(e, "local.denied", file);
    }
    String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
    return new TransferException(e, "local.failed", file, reason != null ? reason : e.getClass().getSimpleName());
  }

  static FileChannel openForReading(Path file) throws TransferException {
    try {
      return FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw failure(e, file);
    }
  }

  static long size(Path file) throws TransferException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw failure(e, file);
    }
  }

  /** One positional read; -1 at the end of the file. */
  static int read(FileChannel channel, ByteBuffer buffer, long position, Path file) throws TransferException {
    try {
      return channel.read(buffer, position);
    } catch (IOException e) {
      throw failure(e, file);
    }
  }

  /** Fills {@code buffer} from {@code position}; a file that ends first has changed since it was measured. */
  static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path file) throws TransferException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = read(channel, buffer, at, file);
      if (n < 0) {
        throw new TransferException("local.changed", file);
      }
      at += n;
    }
  }

  static void writeFully(FileChannel channel, ByteBuffer buffer, Path file) throws TransferException {
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      throw failure(e, file);
    }
  }

  /**
   * Whether a name the server listed may be created locally: a hostile server could otherwise
   * send {@code ..} or {@code a/../../x} to write outside the destination.
   */
  static boolean safeName(String name) {
    return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0 && name.indexOf('\\') < 0
      && name.indexOf('\0') < 0;
  }

  /** The entries of a local directory, by name. */
  static List<Path> list(Path dir) throws TransferException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw failure(e, dir);
    }
  }

  static void createDirectories(Path dir) throws TransferException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw failure(e, dir);
    }
  }
}
