package dev.ferry.sftp.fs;

import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.json.JsonObject;
import org.apache.sshd.sftp.server.DefaultGroupPrincipal;
import org.apache.sshd.sftp.server.DefaultUserPrincipal;

import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * A file or directory as storage describes it (STAT, or an entry of LIST), as the POSIX
 * attributes SFTP reports: owner the account whose home holds it, modes fixed (rwx for the
 * owner: storage decides what anyone may do, not modes).
 */
record StoredEntry(boolean directory, long size, long mtimeMillis, String account) implements PosixFileAttributes {

  private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-x---");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r-----");

  static StoredEntry of(JsonObject json, String owner) {
    boolean dir = StorageApi.TYPE_DIR.equals(json.getString(StorageApi.TYPE));
    return new StoredEntry(dir, dir ? 0 : json.getLong(StorageApi.SIZE, 0L), json.getLong(StorageApi.MTIME, 0L), owner);
  }

  @Override
  public UserPrincipal owner() {
    return new DefaultUserPrincipal(account);
  }

  @Override
  public GroupPrincipal group() {
    return new DefaultGroupPrincipal(account);
  }

  @Override
  public Set<PosixFilePermission> permissions() {
    return directory ? DIRECTORY : FILE;
  }

  @Override
  public FileTime lastModifiedTime() {
    return FileTime.fromMillis(mtimeMillis);
  }

  @Override
  public FileTime lastAccessTime() {
    return lastModifiedTime();
  }

  @Override
  public FileTime creationTime() {
    return lastModifiedTime();
  }

  @Override
  public boolean isRegularFile() {
    return !directory;
  }

  @Override
  public boolean isDirectory() {
    return directory;
  }

  @Override
  public boolean isSymbolicLink() {
    return false;
  }

  @Override
  public boolean isOther() {
    return false;
  }

  @Override
  public Object fileKey() {
    return null;
  }
}
