package dev.ferry.storage;

import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The file actions of {@link StorageApi} on confined paths: list, stat, mkdir, rm, rename and
 * checksum. Every path goes through {@link HomeJail} first; every method blocks, so the verticle
 * runs them on worker threads.
 */
final class FileTree {

  /** What rm removed: its normalised path and the bytes a recount counted for it. */
  record Removed(String path, long freed) {
    /** StorageApi RM: {size: bytes freed}. */
    JsonObject reply() {
      return new JsonObject().put(StorageApi.SIZE, freed);
    }
  }

  /**
   * What rename moved: normalised paths, and the bytes a recount counted below {@code from} when
   * the move crossed owners ({@link VirtualPath#ownerOf}); 0 within one owner, where usage does
   * not change and nothing is measured.
   */
  record Moved(String from, String to, long bytes) {
  }

  private final HomeJail jail;
  private final DigestStore digests;

  FileTree(HomeJail jail, DigestStore digests) {
    this.jail = jail;
    this.digests = digests;
  }

  /**
   * {path, after?} -> {entries, next?}: one {@link ListingPage} of a directory; a file lists
   * itself (PROTOCOL.md section 3).
   */
  JsonObject list(Principal who, String path, String after) throws IOException {
    JailedPath target = jail.confine(who, path);
    BasicFileAttributes attributes = attributes(target.real());
    ListingPage page = new ListingPage(after);
    if (attributes.isDirectory()) {
      try (DirectoryStream<Path> children = Files.newDirectoryStream(target.real())) {
        for (Path child : children) {
          JsonObject entry = entryOf(who, child);
          if (entry != null) {
            page.offer(entry);
          }
        }
      }
    } else {
      page.offer(new JsonObject().put(StorageApi.NAME, VirtualPath.name(target.path())).mergeIn(describe(attributes)));
    }
    return page.reply();
  }

  /** {path} -> {type, size, mtime}. */
  JsonObject stat(Principal who, String path) throws IOException {
    return describe(attributes(jail.confine(who, path).real()));
  }

  /** {path} -> {}: the parent must exist, the path must not. */
  JsonObject mkdir(Principal who, String path) throws IOException {
    JailedPath target = jail.confine(who, path);
    if (Files.exists(target.real(), LinkOption.NOFOLLOW_LINKS)) {
      throw Failure.ALREADY_EXISTS.exception();
    }
    if (!Files.isDirectory(target.real().getParent())) {
      throw Failure.NOT_FOUND.exception();
    }
    try {
      Files.createDirectory(target.real());
    } catch (FileAlreadyExistsException e) {
      throw Failure.ALREADY_EXISTS.exception();
    } catch (NoSuchFileException e) {
      throw Failure.NOT_FOUND.exception();
    }
    return new JsonObject();
  }

  /**
   * {path} -> {size}: removes a file or an empty directory and answers the bytes it freed. A
   * link is removed itself, never what it points to, and frees nothing (usage does not follow
   * links either).
   */
  Removed rm(Principal who, String path) throws IOException {
    JailedPath target = jail.confine(who, path);
    refuseProtected(who, target);
    BasicFileAttributes attributes = ownAttributes(target.real());
    long freed = attributes.isRegularFile() ? attributes.size() : 0;
    try {
      Files.delete(target.real());
    } catch (DirectoryNotEmptyException e) {
      throw Failure.NOT_EMPTY.exception();
    } catch (NoSuchFileException e) {
      throw Failure.NOT_FOUND.exception();
    }
    return new Removed(target.path(), freed);
  }

  /**
   * {from, to} -> {}: an atomic rename that never replaces anything. Across owners (the admin
   * moving things between homes) it measures, just before the move, the bytes that change owner.
   *
   * <p>{@code rename(2)}, which {@code ATOMIC_MOVE} uses, silently replaces a target that
   * appears between the existence check and the move; Java has no {@code RENAME_NOREPLACE}, so
   * that window stays (the gateway serialises one session's commands, which keeps it small).
   */
  Moved rename(Principal who, String from, String to) throws IOException {
    JailedPath source = jail.confine(who, from);
    JailedPath target = jail.confine(who, to);
    refuseProtected(who, source);
    if (!Files.exists(source.real(), LinkOption.NOFOLLOW_LINKS)) {
      throw Failure.NOT_FOUND.exception();
    }
    if (target.path().startsWith(source.path() + "/")) {
      throw Failure.BAD_NAME.exception("a directory cannot move into itself");
    }
    if (Files.exists(target.real(), LinkOption.NOFOLLOW_LINKS)) {
      throw Failure.ALREADY_EXISTS.exception();
    }
    if (!Files.isDirectory(target.real().getParent())) {
      throw Failure.NOT_FOUND.exception();
    }
    boolean crossesOwners = !VirtualPath.ownerOf(source.path()).equals(VirtualPath.ownerOf(target.path()));
    long bytes = crossesOwners ? DiskUsage.bytesUnder(source.real()) : 0;
    try {
      Files.move(source.real(), target.real(), StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      throw Failure.ALREADY_EXISTS.exception();
    } catch (NoSuchFileException e) {
      throw Failure.NOT_FOUND.exception();
    }
    return new Moved(source.path(), target.path(), bytes);
  }

  /**
   * {path} -> {size, sha256}: SHA-256 of a regular file in lowercase hex, remembered in the
   * {@link DigestStore} so an unchanged file is hashed once.
   */
  JsonObject checksum(Principal who, String path) throws IOException {
    try (FileSnapshot snapshot = FileSnapshot.open(jail.confine(who, path), digests)) {
      return new JsonObject().put(StorageApi.SIZE, snapshot.size()).put(StorageApi.SHA256, snapshot.sha256());
    }
  }

  /**
   * One listing entry, or null for an entry a client must not see: a link leading outside the
   * home, a name the protocol could never address, or something that is neither file nor
   * directory.
   */
  private JsonObject entryOf(Principal who, Path child) {
    String name = child.getFileName().toString();
    if (!VirtualPath.isValidName(name)) {
      return null;
    }
    if (Files.isSymbolicLink(child) && !jail.staysInside(who, child)) {
      return null;
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(child, BasicFileAttributes.class);
    } catch (IOException e) {
      return null; // removed while we listed, or unreadable: not there for the client either
    }
    if (!attributes.isDirectory() && !attributes.isRegularFile()) {
      return null;
    }
    return new JsonObject().put(StorageApi.NAME, name).mergeIn(describe(attributes));
  }

  /** {type, size, mtime}; a directory's size is 0. */
  private static JsonObject describe(BasicFileAttributes attributes) {
    boolean dir = attributes.isDirectory();
    return new JsonObject()
      .put(StorageApi.TYPE, dir ? StorageApi.TYPE_DIR : StorageApi.TYPE_FILE)
      .put(StorageApi.SIZE, dir ? 0L : attributes.size())
      .put(StorageApi.MTIME, attributes.lastModifiedTime().toMillis());
  }

  /**
   * The root, {@code /home} and the caller's own home cannot be removed or moved: that would
   * take away the tree PROTOCOL.md section 2 promises every session ("every user's home is
   * /home/<account>; the admin's home is /").
   */
  private static void refuseProtected(Principal who, JailedPath target) {
    String path = target.path();
    if (path.equals(VirtualPath.ROOT) || path.equals(VirtualPath.HOMES) || path.equals(who.home())) {
      throw Failure.NO_PERMISSION.exception();
    }
  }

  /** The attributes of what the path leads to (links followed: confinement has checked them). */
  private static BasicFileAttributes attributes(Path real) throws IOException {
    return readAttributes(real);
  }

  /** The attributes of the entry itself, a link not followed. */
  private static BasicFileAttributes ownAttributes(Path real) throws IOException {
    return readAttributes(real, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * The attributes of a confined path; a missing one, or one with a file on the way where a
   * directory should be, fails NOT_FOUND.
   */
  static BasicFileAttributes readAttributes(Path real, LinkOption... options) throws IOException {
    try {
      return Files.readAttributes(real, BasicFileAttributes.class, options);
    } catch (NoSuchFileException e) {
      throw Failure.NOT_FOUND.exception();
    } catch (FileSystemException e) {
      // A file used as a directory on the way (ENOTDIR) has no exception type of its own.
      if (!Files.exists(real, options)) {
        throw Failure.NOT_FOUND.exception();
      }
      throw e;
    }
  }
}
