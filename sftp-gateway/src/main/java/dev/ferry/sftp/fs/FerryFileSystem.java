package dev.ferry.sftp.fs;

import dev.ferry.protocol.VirtualPath;
import dev.ferry.sftp.ServiceCalls;
import dev.ferry.sftp.SftpUser;
import org.apache.sshd.common.file.util.BaseFileSystem;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.nio.file.attribute.UserPrincipalLookupService;

/**
 * One SFTP session's view of storage: client paths under the session's root, every operation a
 * storage request with the session's token. Storage confines each request to what the token's
 * account may reach; translating a client path only folds {@code .} and {@code ..} (never above
 * the client's {@code /}) and puts the root in front.
 */
public final class FerryFileSystem extends BaseFileSystem<FerryPath> {

  private final SftpUser user;
  private final ServiceCalls calls;
  private final TransferMemory memory;
  private volatile boolean open = true;

  FerryFileSystem(FerryFileSystemProvider provider, SftpUser user, ServiceCalls calls, TransferMemory memory) {
    super(provider);
    this.user = user;
    this.calls = calls;
    this.memory = memory;
  }

  TransferMemory memory() {
    return memory;
  }

  SftpUser user() {
    return user;
  }

  ServiceCalls calls() {
    return calls;
  }

  /** The virtual path (storage's, absolute) of a client path. */
  String virtual(FerryPath path) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < path.getNameCount(); i++) {
      String name = path.getName(i).toString();
      if (name.equals("..")) {
        if (!names.isEmpty()) {
          names.remove(names.size() - 1);
        }
      } else if (!name.isEmpty() && !name.equals(".")) {
        names.add(name);
      }
    }
    String root = user.root();
    String joined = String.join("/", names);
    if (joined.isEmpty()) {
      return root;
    }
    return root.equals(VirtualPath.ROOT) ? "/" + joined : root + "/" + joined;
  }

  /** The account a virtual path belongs to, for the owner SFTP shows; the service account outside homes. */
  String ownerOf(String virtual) {
    return VirtualPath.ownerOf(virtual).orElse("ferry");
  }

  FerryPath listedChild(FerryPath dir, String name, StoredEntry entry) {
    FerryPath child = dir.resolve(name);
    List<String> names = new ArrayList<>();
    child.forEach(p -> names.add(p.toString()));
    return new FerryPath(this, child.isAbsolute() ? "/" : null, List.copyOf(names), entry);
  }

  @Override
  protected FerryPath create(String root, List<String> names) {
    return new FerryPath(this, root, names, null);
  }

  @Override
  public void close() {
    open = false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return Set.of("basic", "posix");
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    throw new UnsupportedOperationException("no user lookup");
  }
}
