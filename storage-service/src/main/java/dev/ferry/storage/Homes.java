package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The per-account actions of {@link StorageApi}: create and purge a home (admin), and count the
 * bytes in it (admin or the account itself). Walks never follow symbolic links, so a link can
 * neither inflate a user's usage nor make a purge delete what it points to. Every method
 * blocks.
 */
final class Homes {

  private final HomeJail jail;
  private final PartialUploads partials;
  private final StagingArea staging;

  Homes(HomeJail jail, PartialUploads partials, StagingArea staging) {
    this.jail = jail;
    this.partials = partials;
    this.staging = staging;
  }

  /** {account} -> {}: creates {@code /home/<account>} if missing (admin). */
  JsonObject create(Principal who, String account) throws IOException {
    requireAdmin(who);
    try (JailedPath home = jail.home(account)) {
      BasicFileAttributes existing = home.ownAttributesIfAny();
      if (existing == null) {
        staging.makeDirectory(home);
      } else if (existing.isSymbolicLink()) {
        throw Failure.NO_PERMISSION.exception();
      } else if (!existing.isDirectory()) {
        throw Failure.ALREADY_EXISTS.exception("a file is in the way of the home");
      }
    }
    return new JsonObject();
  }

  /**
   * {account} -> {}: deletes {@code /home/<account>} and everything below it (admin), through
   * directory handles: a link is deleted itself, never what it leads to.
   */
  JsonObject purge(Principal who, String account) throws IOException {
    requireAdmin(who);
    try (JailedPath home = jail.home(account)) {
      BasicFileAttributes existing = home.ownAttributesIfAny();
      if (existing != null && existing.isDirectory()) {
        try (SecureDirectoryStream<Path> dir = home.openDirectory()) {
          empty(dir);
        }
      }
      if (existing != null) {
        home.delete(existing.isDirectory());
      }
    }
    return new JsonObject();
  }

  /** Deletes everything in the open directory {@code dir}, depth first, never following a link. */
  private static void empty(SecureDirectoryStream<Path> dir) throws IOException {
    for (Path child : dir) {
      Path name = child.getFileName();
      BasicFileAttributes attributes = JailedPath.statOrNull(dir, name);
      if (attributes == null) {
        continue;
      }
      if (attributes.isDirectory()) {
        try (SecureDirectoryStream<Path> sub = JailedPath.openDirectory(dir, name)) {
          empty(sub);
        }
        dir.deleteDirectory(name);
      } else {
        dir.deleteFile(name);
      }
    }
  }

  /**
   * {account} -> {bytes}: the bytes of the regular files in the account's home and of the
   * partial uploads whose target is in it, whoever uploads them (admin or self). PROTOCOL.md s6:
   * "Usage is the bytes of the user's files and partial uploads."
   */
  JsonObject usage(Principal who, String account) throws IOException {
    if (!who.mayManage(account)) {
      throw Failure.NO_PERMISSION.exception();
    }
    long files;
    try (JailedPath home = jail.home(account)) {
      files = DiskUsage.bytesUnder(home);
    }
    return new JsonObject().put(StorageApi.BYTES, files + partials.bytesOf(account));
  }

  private static void requireAdmin(Principal who) {
    if (!who.isAdmin()) {
      throw Failure.NO_PERMISSION.exception();
    }
  }
}
