package dev.ferry.protocol.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Permissions of what Ferry writes: its files are readable only by the server's own user, from
 * the moment they are created (a file chmod-ed after it was written was readable by anyone in
 * between). Files are created 0600 and directories 0700 through creation attributes; where the
 * file system has no POSIX permissions (Windows) no attribute is given and the platform default
 * applies.
 */
public final class PrivateFiles {

  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private PrivateFiles() {
  }

  /** Attributes that create a file in {@code dir} private (0600), or none where unsupported. */
  public static FileAttribute<?>[] fileAttributes(Path dir) {
    return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
  }

  /** Attributes that create a directory in {@code dir} private (0700), or none where unsupported. */
  public static FileAttribute<?>[] directoryAttributes(Path dir) {
    return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY)} : new FileAttribute<?>[0];
  }

  /**
   * {@link Files#createDirectories}, each directory it makes private (0700). Directories that
   * exist already are left as they are: the operator may have chosen their mode.
   */
  public static Path createDirectories(Path dir) throws IOException {
    return Files.createDirectories(dir, directoryAttributes(dir));
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
