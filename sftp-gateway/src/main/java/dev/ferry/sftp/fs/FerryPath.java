package dev.ferry.sftp.fs;

import org.apache.sshd.common.file.util.BasePath;

import java.nio.file.LinkOption;
import java.util.List;

/**
 * A path as the SFTP client names it, {@code /} being its root (its home, or the storage root
 * for an admin). A path read from a listing carries what the listing said of it, so that
 * listing a directory costs no request per entry.
 */
public final class FerryPath extends BasePath<FerryPath, FerryFileSystem> {

  private final StoredEntry listed;

  FerryPath(FerryFileSystem fileSystem, String root, List<String> names, StoredEntry listed) {
    super(fileSystem, root, names);
    this.listed = listed;
  }

  /** What a listing said of this path, or null. */
  StoredEntry listed() {
    return listed;
  }

  @Override
  public FerryPath toRealPath(LinkOption... options) {
    return toAbsolutePath().normalize();
  }
}
