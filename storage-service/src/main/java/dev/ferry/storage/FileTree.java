package dev.ferry.storage;

import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The file actions of {@link StorageApi} on confined paths: list, stat, mkdir, rm, rename and
 * checksum. Every path goes through {@link HomeJail} first, and every file operation through the
 * {@link JailedPath} it answers; every method blocks, so the verticle runs them on worker threads.
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
  private final StagingArea staging;

  FileTree(HomeJail jail, DigestStore digests, StagingArea staging) {
    this.jail = jail;
    this.digests = digests;
    this.staging = staging;
  }

  /**
   * {path, after?} -> {entries, next?}: one {@link ListingPage} of a directory; a file lists
   * itself (PROTOCOL.md section 3).
   */
  JsonObject list(Principal who, String path, String after) throws IOException {
    try (JailedPath target = jail.confine(who, path)) {
      BasicFileAttributes attributes = target.attributes();
      ListingPage page = new ListingPage(after);
      if (attributes.isDirectory()) {
        try (SecureDirectoryStream<Path> children = target.openDirectory()) {
          for (Path child : children) {
            JsonObject entry = entryOf(children, child.getFileName());
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
  }

  /** {path} -> {type, size, mtime}. */
  JsonObject stat(Principal who, String path) throws IOException {
    try (JailedPath target = jail.confine(who, path)) {
      return describe(target.attributes());
    }
  }

  /** {path} -> {}: the parent must exist, the path must not. */
  JsonObject mkdir(Principal who, String path) throws IOException {
    try (JailedPath target = jail.confine(who, path)) {
      if (target.attributesIfAny() != null) {
        throw Failure.ALREADY_EXISTS.exception();
      }
      staging.makeDirectory(target);
    }
    return new JsonObject();
  }

  /**
   * {path} -> {size}: removes a file or an empty directory and answers the bytes it freed. A
   * symbolic link is left alone (NO_PERMISSION), like every other use of one.
   */
  Removed rm(Principal who, String path) throws IOException {
    try (JailedPath target = jail.confine(who, path)) {
      refuseProtected(who, target);
      BasicFileAttributes attributes = target.attributes();
      long freed = attributes.isRegularFile() ? attributes.size() : 0;
      try {
        target.delete(attributes.isDirectory());
      } catch (DirectoryNotEmptyException e) {
        throw Failure.NOT_EMPTY.exception();
      } catch (NoSuchFileException e) {
        throw Failure.NOT_FOUND.exception();
      }
      return new Removed(target.path(), freed);
    }
  }

  /**
   * {from, to} -> {}: an atomic rename that never replaces anything. Across owners (the admin
   * moving things between homes) it measures, just before the move, the bytes that change owner.
   *
   * <p>{@code rename(2)}, which the move uses, silently replaces a target that appears between
   * the existence check and the move; Java has no {@code RENAME_NOREPLACE}, so that window stays
   * (the gateway serialises one session's commands, which keeps it small).
   */
  Moved rename(Principal who, String from, String to) throws IOException {
    try (JailedPath source = jail.confine(who, from); JailedPath target = jail.confine(who, to)) {
      refuseProtected(who, source);
      source.attributes();
      if (target.path().startsWith(source.path() + "/")) {
        throw Failure.BAD_NAME.exception("a directory cannot move into itself");
      }
      if (target.ownAttributesIfAny() != null) {
        throw Failure.ALREADY_EXISTS.exception();
      }
      boolean crossesOwners = !VirtualPath.ownerOf(source.path()).equals(VirtualPath.ownerOf(target.path()));
      long bytes = crossesOwners ? DiskUsage.bytesUnder(source) : 0;
      try {
        source.moveTo(target);
      } catch (FileAlreadyExistsException e) {
        throw Failure.ALREADY_EXISTS.exception();
      } catch (NoSuchFileException e) {
        throw Failure.NOT_FOUND.exception();
      }
      return new Moved(source.path(), target.path(), bytes);
    }
  }

  /**
   * {path} -> {size, sha256}: SHA-256 of a regular file in lowercase hex, remembered in the
   * {@link DigestStore} so an unchanged file is hashed once.
   */
  JsonObject checksum(Principal who, String path) throws IOException {
    try (JailedPath target = jail.confine(who, path); FileSnapshot snapshot = FileSnapshot.open(target, digests)) {
      return new JsonObject().put(StorageApi.SIZE, snapshot.size()).put(StorageApi.SHA256, snapshot.sha256());
    }
  }

  /**
   * One listing entry, or null for an entry a client must not see: a symbolic link (never
   * followed), a name the protocol could never address, or something that is neither file nor
   * directory.
   */
  private static JsonObject entryOf(SecureDirectoryStream<Path> dir, Path child) {
    String name = child.toString();
    if (!VirtualPath.isValidName(name)) {
      return null;
    }
    BasicFileAttributes attributes;
    try {
      attributes = JailedPath.statOrNull(dir, child);
    } catch (IOException e) {
      return null; // unreadable: not there for the client either
    }
    if (attributes == null || !attributes.isDirectory() && !attributes.isRegularFile()) {
      return null; // removed while we listed, a link, a pipe or a device
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
}
