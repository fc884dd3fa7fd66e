package dev.ferry.storage;

import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;

import java.io.IOException;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where an upload goes and what it promises: checked against the caller's home when the upload
 * opens, and again just before it is published (the tree may have changed in between).
 *
 * @param size the declared size, or {@link #UNKNOWN_SIZE} when the upload's size is known only when it ends
 * @param sha256 the declared SHA-256 in lowercase hex, or "" when the client gave none
 * @param resume whether a resumable partial of the target goes on (always, for a declared size)
 * @param replacing size of the complete file the upload would replace when it opened, 0 if none
 * @param exists    whether an entry was at the target when it opened (an empty file too)
 */
record UploadTarget(HomeJail jail, Principal owner, String virtualPath, long size, String sha256, boolean overwrite,
                    boolean resume, long replacing, boolean exists) {

  /** The size of an upload that declared none (TransferApi OPEN_WRITE without {@code size}). */
  static final long UNKNOWN_SIZE = -1;

  /**
   * What the opener asked for (TransferApi OPEN_WRITE).
   *
   * @param size   bytes, or {@link #UNKNOWN_SIZE}
   * @param sha256 lowercase hex, or "" when the client gave none
   */
  record Request(String dir, String name, long size, String sha256, boolean overwrite, boolean resume) {
  }

  boolean sizeKnown() {
    return size != UNKNOWN_SIZE;
  }

  /**
   * Checks the open of an upload of {@code request.name()} into {@code request.dir()}. Blocking.
   *
   * @throws io.vertx.core.eventbus.ReplyException NO_PERMISSION, NOT_FOUND (no such dir),
   *     BAD_NAME, IS_A_DIRECTORY (the target is a directory, or dir is a file), ALREADY_EXISTS
   */
  static UploadTarget check(HomeJail jail, Principal who, Request request) throws IOException {
    String name = request.name();
    String path;
    try (JailedPath parent = jail.confine(who, request.dir())) {
      if (!VirtualPath.isValidName(name)) {
        throw Failure.BAD_NAME.exception();
      }
      if (!parent.attributes().isDirectory()) {
        throw Failure.IS_A_DIRECTORY.exception("dir is a file");
      }
      path = parent.path().equals(VirtualPath.ROOT) ? "/" + name : parent.path() + "/" + name;
    }
    try (JailedPath target = jail.confine(who, path)) {
      BasicFileAttributes existing = target.attributesIfAny();
      long replacing = 0;
      if (existing != null) {
        if (existing.isDirectory()) {
          throw Failure.IS_A_DIRECTORY.exception();
        }
        if (!request.overwrite()) {
          throw Failure.ALREADY_EXISTS.exception();
        }
        replacing = existing.isRegularFile() ? existing.size() : 0;
      }
      return new UploadTarget(jail, who, target.path(), request.size(), request.sha256(), request.overwrite(),
        request.size() != UNKNOWN_SIZE || request.resume(), replacing, existing != null);
    }
  }

  /**
   * Where to publish, held open: checked again that it is still confined, its directory is still
   * there and nothing now forbids writing it. The caller publishes through it and closes it.
   * Blocking.
   */
  JailedPath recheck() throws IOException {
    JailedPath target = jail.confine(owner, virtualPath);
    try {
      BasicFileAttributes existing = target.attributesIfAny();
      if (existing != null && existing.isDirectory()) {
        throw Failure.IS_A_DIRECTORY.exception();
      }
      if (existing != null && !overwrite) {
        // Something was put there while the upload ran; without overwrite it is never replaced.
        throw Failure.ALREADY_EXISTS.exception();
      }
      return target;
    } catch (IOException | RuntimeException e) {
      target.close();
      throw e;
    }
  }
}
