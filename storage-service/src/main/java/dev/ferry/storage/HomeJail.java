package dev.ferry.storage;

import dev.ferry.protocol.AccountName;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.util.List;

/**
 * The one confinement function of storage: a virtual path becomes a {@link JailedPath}, an open
 * handle on the directory holding it, only if it stays inside the caller's home, on paper and
 * on disk.
 *
 * <p>PROTOCOL.md section 2: "A user may touch only their home and what is below it. A path
 * outside it, after folding, answers 没有访问权限! [...] Symbolic links are never followed".
 *
 * <p>Steps of {@link #confine}: normalise the path again (callers are not trusted to have done
 * it; a forbidden name fails {@code BAD_NAME}); refuse it with {@code NO_PERMISSION} unless it is
 * within the principal's virtual home; then walk from the files root, opening one directory at a
 * time relative to the one before without following links, down to the directory that holds the
 * last component. A link on the way fails {@code NO_PERMISSION}, a missing directory or a file
 * on the way {@code NOT_FOUND}. The last component is not opened: {@link JailedPath} refuses a
 * link there for every use but removing it.
 *
 * <p>Nothing is checked by path and used later by path: the handles are what later operations
 * use, so renames and links made between the check and the use cannot lead anywhere else. A home
 * that is itself a link is refused like any other link.
 *
 * <p>Blocking (it touches the disk): call it from a worker thread only.
 */
public final class HomeJail {

  private final Path root;

  /**
   * @param realRoot the real path ({@link Path#toRealPath}) of the directory that is the
   *                 virtual {@code /}
   * @throws IOException when it cannot be opened, or when this platform cannot open files
   *     relative to a directory handle (no {@link SecureDirectoryStream}): storage cannot be
   *     confined there
   */
  public HomeJail(Path realRoot) throws IOException {
    this.root = realRoot;
    openRoot().close();
  }

  /**
   * {@code path} for {@code who}, held open. Close it.
   *
   * @throws io.vertx.core.eventbus.ReplyException {@code BAD_NAME}, {@code NO_PERMISSION}, or
   *     {@code NOT_FOUND} when a directory on the way (the home included) does not exist
   */
  public JailedPath confine(Principal who, String path) throws IOException {
    return confineWithin(who.home(), path);
  }

  /**
   * {@code /home/<account>}, confined to the files root as the admin's paths are. Callers check
   * first that the caller may act on that account.
   *
   * @throws io.vertx.core.eventbus.ReplyException {@code BAD_NAME} for an invalid account name
   */
  public JailedPath home(String account) throws IOException {
    if (!AccountName.isValid(account)) {
      throw Failure.BAD_NAME.exception();
    }
    return confineWithin(VirtualPath.ROOT, VirtualPath.homeOf(account, Role.USER));
  }

  private JailedPath confineWithin(String home, String path) throws IOException {
    String virtual;
    try {
      virtual = VirtualPath.resolve(VirtualPath.ROOT, path);
    } catch (VirtualPath.BadNameException e) {
      throw Failure.BAD_NAME.exception();
    }
    if (!VirtualPath.isWithin(virtual, home)) {
      throw Failure.NO_PERMISSION.exception();
    }
    List<String> components = VirtualPath.components(virtual);
    SecureDirectoryStream<Path> dir = openRoot();
    try {
      for (String component : components.subList(0, Math.max(0, components.size() - 1))) {
        SecureDirectoryStream<Path> next = JailedPath.openDirectory(dir, Path.of(component));
        dir.close();
        dir = next;
      }
      Path name = components.isEmpty() ? null : Path.of(components.get(components.size() - 1));
      return new JailedPath(virtual, dir, name);
    } catch (IOException | RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  private SecureDirectoryStream<Path> openRoot() throws IOException {
    DirectoryStream<Path> stream = Files.newDirectoryStream(root);
    if (stream instanceof SecureDirectoryStream<Path> secure) {
      return secure;
    }
    stream.close();
    throw new IOException("no secure directory streams (openat) on this platform: storage cannot confine paths");
  }
}
