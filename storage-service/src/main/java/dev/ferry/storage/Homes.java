package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
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

  Homes(HomeJail jail, PartialUploads partials) {
    this.jail = jail;
    this.partials = partials;
  }

  /** {account} -> {}: creates {@code /home/<account>} if missing (admin). */
  JsonObject create(Principal who, String account) throws IOException {
    requireAdmin(who);
    Path home = jail.home(account).real();
    try {
      Files.createDirectories(home);
    } catch (FileAlreadyExistsException e) {
      throw Failure.ALREADY_EXISTS.exception("a file is in the way of the home");
    }
    return new JsonObject();
  }

  /** {account} -> {}: deletes {@code /home/<account>} and everything below it (admin). */
  JsonObject purge(Principal who, String account) throws IOException {
    requireAdmin(who);
    Path home = jail.home(account).real();
    if (Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
      Files.walkFileTree(home, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
          if (failure != null) {
            throw failure;
          }
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    }
    return new JsonObject();
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
    long files = DiskUsage.bytesUnder(jail.home(account).real());
    return new JsonObject().put(StorageApi.BYTES, files + partials.bytesOf(account));
  }

  private static void requireAdmin(Principal who) {
    if (!who.isAdmin()) {
      throw Failure.NO_PERMISSION.exception();
    }
  }
}
