package dev.ferry.client.transfer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The {@code LOCAL.part} file a download writes into, beside its final name. Its length is how
 * much has arrived, so a download stopped in any way (Ctrl-C, a lost connection, a killed
 * process) continues from there. Only a file whose SHA-256 matched is renamed to its final
 * name, in one atomic step: bad bytes never appear under it.
 */
public final class PartFile {

  public static final String SUFFIX = ".part";

  private final Path target;
  private final Path part;

  public PartFile(Path target) {
    this.target = target;
    this.part = target.resolveSibling(target.getFileName() + SUFFIX);
  }

  public Path path() {
    return part;
  }

  public Path target() {
    return target;
  }

  /** Bytes already there: 0 when there is no {@code .part}. */
  public long length() {
    try {
      return Files.size(part);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Opens the {@code .part} (created if missing) positioned at its end, where the download
   * continues. One longer than the file cannot be a prefix of it (the file changed since): it is
   * emptied and the download starts over from 0.
   */
  public FileChannel openForResume(long size) throws IOException {
    FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      if (channel.size() > size) {
        channel.truncate(0);
      }
      channel.position(channel.size());
      return channel;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }

  /** Renames the verified {@code .part} to the final name, replacing a file that is there. */
  public void publish() throws IOException {
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Removes the {@code .part} (its bytes failed the checksum). */
  public void delete() throws IOException {
    try {
      Files.deleteIfExists(part);
    } catch (NoSuchFileException e) {
      // already gone
    }
  }
}
