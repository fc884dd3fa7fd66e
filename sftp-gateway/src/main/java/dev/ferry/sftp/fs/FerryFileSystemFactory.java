package dev.ferry.sftp.fs;

import dev.ferry.sftp.ServiceCalls;
import dev.ferry.sftp.SftpUser;
import io.vertx.core.Vertx;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.session.SessionContext;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystem;
import java.nio.file.Path;

/** A {@link FerryFileSystem} for each authenticated SSH session, rooted where its account's files begin. */
public final class FerryFileSystemFactory implements FileSystemFactory {

  private static final FerryFileSystemProvider PROVIDER = new FerryFileSystemProvider();

  private final Vertx vertx;
  private final long tokenTtlSeconds;
  private final TransferMemory memory = new TransferMemory(dev.ferry.sftp.SftpOptions.TRANSFER_MEMORY);

  public FerryFileSystemFactory(Vertx vertx, long tokenTtlSeconds) {
    this.vertx = vertx;
    this.tokenTtlSeconds = tokenTtlSeconds;
  }

  @Override
  public Path getUserHomeDir(SessionContext session) {
    return null;
  }

  @Override
  public FileSystem createFileSystem(SessionContext session) throws IOException {
    SftpUser user = session.getAttribute(SftpUser.KEY);
    if (user == null) {
      throw new AccessDeniedException("not logged in");
    }
    return new FerryFileSystem(PROVIDER, user, new ServiceCalls(vertx, user.token(), tokenTtlSeconds), memory);
  }
}
