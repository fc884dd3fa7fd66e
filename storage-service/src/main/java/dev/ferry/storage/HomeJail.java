package dev.ferry.storage;

import dev.ferry.protocol.AccountName;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The one confinement function of storage: a virtual path becomes a real path only if it stays
 * inside the caller's home, on paper and on disk.
 *
 * <p>PROTOCOL.md section 2: "A user may touch only their home and what is below it. Any path
 * outside it, after normalisation, answers 没有访问权限! (no permission), even if it does not
 * exist [...] Symbolic links never lead outside the storage root or outside the user's home."
 *
 * <p>Steps of {@link #confine}: normalise the path again (callers are not trusted to have done
 * it; a forbidden name fails {@code BAD_NAME}); refuse it with {@code NO_PERMISSION} unless it is
 * within the principal's virtual home; map its components onto the files root; then follow the
 * links on disk: the real path of the deepest part of it that exists must be inside the real
 * home (the files root for the admin), else {@code NO_PERMISSION}. A dangling link or a loop
 * cannot be proved to stay inside, so it is refused too.
 *
 * <p>The expected real home is the files root plus the home's components, never the target of
 * a link: a home that is itself a symbolic link leads somewhere else and is refused.
 *
 * <p>Blocking (it touches the disk): call it from a worker thread only.
 */
public final class HomeJail {

  private final Path root;

  /**
   * @param realRoot the real path ({@link Path#toRealPath}) of the directory that is the
   *                 virtual {@code /}
   */
  public HomeJail(Path realRoot) {
    this.root = realRoot;
  }

  /**
   * The real path of {@code path} for {@code who}.
   *
   * @throws io.vertx.core.eventbus.ReplyException {@code BAD_NAME}, {@code NO_PERMISSION}, or
   *     {@code NOT_FOUND} when the principal's home itself does not exist
   */
  public JailedPath confine(Principal who, String path) {
    return confineWithin(who.home(), path);
  }

  /**
   * The real path of {@code /home/<account>}, confined to the files root as the admin's paths
   * are. Callers check first that the caller may act on that account.
   *
   * @throws io.vertx.core.eventbus.ReplyException {@code BAD_NAME} for an invalid account
   *     name, {@code NO_PERMISSION} if a link leads the home out of the files root
   */
  public JailedPath home(String account) {
    if (!AccountName.isValid(account)) {
      throw Failure.BAD_NAME.exception();
    }
    return confineWithin(VirtualPath.ROOT, VirtualPath.homeOf(account, Role.USER));
  }

  /**
   * Whether an existing entry, followed through every link, stays inside {@code who}'s real home:
   * listings leave out the links that do not.
   */
  public boolean staysInside(Principal who, Path entry) {
    try {
      return entry.toRealPath().startsWith(map(who.home()));
    } catch (IOException e) {
      return false;
    }
  }

  private JailedPath confineWithin(String home, String path) {
    String virtual;
    try {
      virtual = VirtualPath.resolve(VirtualPath.ROOT, path);
    } catch (VirtualPath.BadNameException e) {
      throw Failure.BAD_NAME.exception();
    }
    if (!VirtualPath.isWithin(virtual, home)) {
      throw Failure.NO_PERMISSION.exception();
    }
    Path real = map(virtual);
    checkLinks(map(home), real);
    return new JailedPath(virtual, real);
  }

  private Path map(String virtual) {
    Path real = root;
    for (String component : VirtualPath.components(virtual)) {
      real = real.resolve(component);
    }
    return real;
  }

  private static void checkLinks(Path jail, Path real) {
    // The deepest part that exists as an entry, a link included (a dangling link exists too).
    Path existing = real;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw Failure.NOT_FOUND.exception();
    }
    Path resolved;
    try {
      resolved = existing.toRealPath();
    } catch (IOException e) {
      throw Failure.NO_PERMISSION.exception();
    }
    if (resolved.startsWith(jail)) {
      return;
    }
    if (jail.startsWith(existing) && resolved.equals(existing)) {
      // The home itself is missing, and nothing on the way to it is a link: the path is inside
      // the home on paper but does not exist (PROTOCOL.md section 2: 路径不存在!).
      throw Failure.NOT_FOUND.exception();
    }
    throw Failure.NO_PERMISSION.exception();
  }
}
