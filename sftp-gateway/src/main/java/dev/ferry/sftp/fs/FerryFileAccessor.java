package dev.ferry.sftp.fs;

import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.security.Principal;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * How SSHD's SFTP subsystem reaches files: always through the session's
 * {@link FerryFileSystem}, never the JVM's default file system (SSHD's default accessor opens
 * {@code FileChannel}s and secure directory streams of local disks). Links, copies, locks and
 * ownership changes are refused: storage has no such thing.
 */
public final class FerryFileAccessor implements SftpFileSystemAccessor {

  public static final FerryFileAccessor INSTANCE = new FerryFileAccessor();

  private FerryFileAccessor() {
  }

  @Override
  public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
    Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    return file.getFileSystem().provider().newByteChannel(file, options);
  }

  @Override
  public FileLock tryLock(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle, Channel channel,
    long position, long size, boolean shared) {
    throw new UnsupportedOperationException("locks are not offered");
  }

  @Override
  public void syncFileData(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle, Channel channel) {
    // Storage forces an upload to disk before it publishes it; nothing is visible before that.
  }

  @Override
  public void closeFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle, Channel channel,
    Set<? extends OpenOption> options) throws IOException {
    channel.close();
  }

  @Override
  public DirectoryStream<Path> openDirectory(SftpSubsystemProxy subsystem, DirectoryHandle dirHandle, Path dir, String handle,
    LinkOption... linkOptions) throws IOException {
    return dir.getFileSystem().provider().newDirectoryStream(dir, null);
  }

  @Override
  public void setFileAttribute(SftpSubsystemProxy subsystem, Path file, String view, String attribute, Object value,
    LinkOption... options) {
    // Storage keeps no modes, owners or times a client could set: accepted and ignored.
  }

  @Override
  public void setFileOwner(SftpSubsystemProxy subsystem, Path file, Principal value, LinkOption... options) {
  }

  @Override
  public void setGroupOwner(SftpSubsystemProxy subsystem, Path file, Principal value, LinkOption... options) {
  }

  @Override
  public void setFilePermissions(SftpSubsystemProxy subsystem, Path file, Set<java.nio.file.attribute.PosixFilePermission> perms,
    LinkOption... options) {
  }

  @Override
  public void setFileAccessControl(SftpSubsystemProxy subsystem, Path file, List<java.nio.file.attribute.AclEntry> acl,
    LinkOption... options) {
  }

  @Override
  public void createLink(SftpSubsystemProxy subsystem, Path link, Path existing, boolean symLink) {
    throw new UnsupportedOperationException("links are not offered");
  }

  @Override
  public String resolveLinkTarget(SftpSubsystemProxy subsystem, Path link) {
    throw new UnsupportedOperationException("there are no links");
  }

  @Override
  public void copyFile(SftpSubsystemProxy subsystem, Path src, Path dst, Collection<CopyOption> opts) {
    throw new UnsupportedOperationException("copying on the server is not offered");
  }
}
