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
import java.util.Optional;
import java.util.regex.Pattern;
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

  private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");
  /** Characters Windows refuses in a file name (beside {@code : / \\}, refused everywhere). */
  private static final String WINDOWS_RESERVED = "<>\"|?*";
  /** Device names Windows opens instead of a file, with any extension ({@code nul.txt} too). */
  private static final Pattern WINDOWS_DEVICE = Pattern.compile("(?i)(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(\\..*)?");

  /**
   * Whether a name the server listed may be created locally: a hostile server could otherwise
   * send {@code ..} or {@code a/../../x} to write outside the destination, or, on Windows,
   * {@code c:x} (another drive) or {@code x:stream} (an alternate data stream of a file), so a
   * {@code :} is refused everywhere. Control characters are refused too.
   */
  static boolean safeName(String name) {
    return safeName(name, WINDOWS);
  }

  /** {@link #safeName(String)} with the rules of Windows when {@code windows}, for tests on any system. */
  static boolean safeName(String name, boolean windows) {
    if (name.isEmpty() || name.equals(".") || name.equals("..")
      || name.chars().anyMatch(ch -> ch == '/' || ch == '\\' || ch == ':' || ch < 0x20 || ch == 0x7f)) {
      return false;
    }
    if (windows) {
      // Windows drops a trailing dot or space, so "a." would be the file "a".
      return name.chars().noneMatch(ch -> WINDOWS_RESERVED.indexOf(ch) >= 0)
        && !name.endsWith(".") && !name.endsWith(" ") && !WINDOWS_DEVICE.matcher(name).matches();
    }
    return true;
  }

  /**
   * {@code dir}'s entry {@code name} from the server, or empty when the name is not
   * {@link #safeName safe} or the path does not stay below {@code dir} once normalized.
   */
  static Optional<Path> child(Path dir, String name) {
    if (!safeName(name)) {
      return Optional.empty();
    }
    Path base = dir.toAbsolutePath().normalize();
    Path resolved = base.resolve(name).normalize();
    return resolved.startsWith(base) && !resolved.equals(base) ? Optional.of(dir.resolve(name)) : Optional.empty();
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
