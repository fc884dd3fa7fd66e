package dev.ferry.storage;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * How many bytes of the files tree count toward a quota: those of regular files, found without
 * following symbolic links, so a link neither inflates usage nor counts what it points to twice.
 * A recount ({@link Homes#usage}) and every change storage reports (rm, rename across homes,
 * a published upload) measure with these same rules, so the reported changes add up to what the
 * next recount finds. Blocking.
 */
final class DiskUsage {

  private DiskUsage() {
  }

  /** Bytes of the regular files at or below {@code real}; 0 when it does not exist. */
  static long bytesUnder(Path real) throws IOException {
    long[] bytes = {0};
    Files.walkFileTree(real, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          bytes[0] += attrs.size();
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
        if (failure instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE; // not there (yet), or removed while we counted
        }
        throw failure;
      }
    });
    return bytes[0];
  }

  /** Bytes a recount counts for the entry {@code real} itself: its size if it is a regular file, else 0. */
  static long bytesOfEntry(Path real) throws IOException {
    try {
      BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return attributes.isRegularFile() ? attributes.size() : 0;
    } catch (NoSuchFileException e) {
      return 0;
    }
  }
}
