package dev.ferry.storage;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * How many bytes of the files tree count toward a quota: those of regular files, found without
 * following symbolic links, so a link neither inflates usage nor counts what it points to twice.
 * The walk goes through directory handles (a directory renamed or swapped for a link while it
 * runs cannot lead it elsewhere). A recount ({@link Homes#usage}) and every change storage
 * reports (rm, rename across homes, a published upload) measure with these same rules, so the
 * reported changes add up to what the next recount finds. Blocking.
 */
final class DiskUsage {

  private DiskUsage() {
  }

  /** Bytes of the regular files at or below {@code target}; 0 when it does not exist or is a link. */
  static long bytesUnder(JailedPath target) throws IOException {
    BasicFileAttributes attributes = target.ownAttributesIfAny();
    if (attributes == null || attributes.isSymbolicLink()) {
      return 0;
    }
    if (!attributes.isDirectory()) {
      return attributes.isRegularFile() ? attributes.size() : 0;
    }
    try (SecureDirectoryStream<Path> dir = target.openDirectory()) {
      return bytesIn(dir);
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  /** Bytes a recount counts for the entry {@code target} itself: its size if it is a regular file, else 0. */
  static long bytesOfEntry(JailedPath target) throws IOException {
    BasicFileAttributes attributes = target.ownAttributesIfAny();
    return attributes != null && attributes.isRegularFile() ? attributes.size() : 0;
  }

  /** Bytes of the regular files below the open directory {@code dir}. */
  private static long bytesIn(SecureDirectoryStream<Path> dir) throws IOException {
    long bytes = 0;
    for (Path child : dir) {
      Path name = child.getFileName();
      BasicFileAttributes attributes = JailedPath.statOrNull(dir, name);
      if (attributes == null) {
        continue; // removed while we counted
      }
      if (attributes.isRegularFile()) {
        bytes += attributes.size();
      } else if (attributes.isDirectory()) {
        try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
          bytes += bytesIn(sub);
        } catch (NoSuchFileException | NotDirectoryException e) {
          // removed or replaced while we counted
        } catch (FileSystemException e) {
          // replaced by a link while we counted (ELOOP): links count nothing
        }
      }
    }
    return bytes;
  }
}
