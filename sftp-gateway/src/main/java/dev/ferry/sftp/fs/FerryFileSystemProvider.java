package dev.ferry.sftp.fs;

import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.spi.FileSystemProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@link java.nio.file} operations SSHD's SFTP subsystem makes, each one storage request
 * (PROTOCOL-free: the bus contracts of {@link StorageApi} and
 * {@link dev.ferry.protocol.bus.TransferApi}). What storage has no notion of (links, copies,
 * modes, owners) is refused or, for attributes a client sets after an upload, ignored.
 */
public final class FerryFileSystemProvider extends FileSystemProvider {

  @Override
  public String getScheme() {
    return "ferry";
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
    throw new UnsupportedOperationException("file systems are made per SFTP session");
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    throw new UnsupportedOperationException("file systems are made per SFTP session");
  }

  @Override
  public Path getPath(URI uri) {
    throw new UnsupportedOperationException("no URIs");
  }

  static FerryPath ferry(Path path) {
    if (path instanceof FerryPath ferry) {
      return ferry;
    }
    throw new ProviderMismatchException(String.valueOf(path));
  }

  /** What storage says of a path now (or what the listing that produced it said). */
  StoredEntry stat(FerryPath path) throws IOException {
    if (path.listed() != null) {
      return path.listed();
    }
    FerryFileSystem fs = path.getFileSystem();
    String virtual = fs.virtual(path);
    JsonObject stat = fs.calls().storage(StorageApi.STAT, new JsonObject().put(StorageApi.PATH, virtual), path.toString());
    return StoredEntry.of(stat, fs.ownerOf(virtual));
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
    throws IOException {
    FerryPath file = ferry(path);
    boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
    if (write) {
      return UploadChannel.open(file, options);
    }
    return ReadChannel.open(file);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    FerryPath ferryDir = ferry(dir);
    if (!stat(ferryDir).isDirectory()) {
      throw new java.nio.file.NotDirectoryException(dir.toString());
    }
    return new ListingStream(ferryDir, filter);
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    FerryPath path = ferry(dir);
    FerryFileSystem fs = path.getFileSystem();
    fs.calls().storage(StorageApi.MKDIR, new JsonObject().put(StorageApi.PATH, fs.virtual(path)), dir.toString());
  }

  @Override
  public void delete(Path path) throws IOException {
    FerryPath ferryPath = ferry(path);
    FerryFileSystem fs = ferryPath.getFileSystem();
    fs.calls().storage(StorageApi.RM, new JsonObject().put(StorageApi.PATH, fs.virtual(ferryPath)), path.toString());
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) {
    throw new UnsupportedOperationException("copying on the server is not offered");
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    FerryPath from = ferry(source);
    FerryFileSystem fs = from.getFileSystem();
    fs.calls().storage(StorageApi.RENAME,
      new JsonObject().put(StorageApi.FROM, fs.virtual(from)).put(StorageApi.TO, fs.virtual(ferry(target))), source.toString());
  }

  @Override
  public boolean isSameFile(Path path, Path path2) {
    FerryPath a = ferry(path);
    return path2 instanceof FerryPath b && a.getFileSystem() == b.getFileSystem()
      && a.getFileSystem().virtual(a).equals(b.getFileSystem().virtual(b));
  }

  @Override
  public boolean isHidden(Path path) {
    return false;
  }

  @Override
  public FileStore getFileStore(Path path) {
    throw new UnsupportedOperationException("no file store figures");
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    stat(ferry(path));
  }

  @Override
  public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
    return null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options) throws IOException {
    if (type != BasicFileAttributes.class && type != PosixFileAttributes.class) {
      throw new UnsupportedOperationException("attributes " + type.getSimpleName());
    }
    return (A) stat(ferry(path));
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
    int colon = attributes.indexOf(':');
    String view = colon < 0 ? "basic" : attributes.substring(0, colon);
    if (!view.equals("basic") && !view.equals("posix")) {
      throw new UnsupportedOperationException("attribute view " + view);
    }
    StoredEntry entry = stat(ferry(path));
    Map<String, Object> map = new HashMap<>();
    map.put("size", entry.size());
    map.put("lastModifiedTime", entry.lastModifiedTime());
    map.put("lastAccessTime", entry.lastAccessTime());
    map.put("creationTime", entry.creationTime());
    map.put("isRegularFile", entry.isRegularFile());
    map.put("isDirectory", entry.isDirectory());
    map.put("isSymbolicLink", false);
    map.put("isOther", false);
    map.put("fileKey", null);
    if (view.equals("posix")) {
      map.put("permissions", entry.permissions());
      map.put("owner", entry.owner());
      map.put("group", entry.group());
    }
    return map;
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
    // Storage keeps no modes, owners or times a client could set: accepted and ignored, so that
    // "put -p" and clients that always set times still succeed.
  }
}
