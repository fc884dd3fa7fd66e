package dev.ferry.sftp;

import dev.ferry.sftp.fs.StoredDigest;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.digest.Digest;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.sftp.server.SftpSubsystem;
import org.apache.sshd.sftp.server.SftpSubsystemConfigurator;

import java.nio.file.Path;
import java.util.HexFormat;

/**
 * SSHD's SFTP subsystem on Ferry's file system, with one change: the {@code check-file-name} and
 * {@code check-file-handle} extensions (draft-ietf-secsh-filexfer-extensions-00 section 3) answer
 * a whole file's {@code sha256} from the digest storage keeps instead of reading the file.
 * Other algorithms and ranges are refused: they would read the whole file through the door.
 */
final class FerrySftpSubsystem extends SftpSubsystem {

  FerrySftpSubsystem(ChannelSession channel, SftpSubsystemConfigurator configurator) {
    super(channel, configurator);
  }

  /**
   * Closes what the client left open when its channel goes: SSHD interrupts this thread first,
   * and an interrupted thread cannot wait for storage, so an upload would be neither published
   * nor ended cleanly. The interrupt is taken back for the close and given back after it.
   */
  @Override
  protected void closeAllHandles() {
    boolean interrupted = Thread.interrupted();
    try {
      super.closeAllHandles();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  protected void doCheckFileHash(int id, Path file, NamedFactory<? extends Digest> factory, long startOffset, long length,
    int blockSize, Buffer buffer) throws Exception {
    if (!BuiltinDigests.sha256.getName().equals(factory.getName())) {
      throw new UnsupportedOperationException("only sha256 is offered");
    }
    StoredDigest.Digest digest = StoredDigest.of(file);
    boolean whole = startOffset == 0 && (length == 0 || length >= digest.size()) && (blockSize == 0 || blockSize >= digest.size());
    if (!whole) {
      throw new UnsupportedOperationException("only the whole file's sha256 is offered");
    }
    buffer.putString(factory.getName());
    buffer.putBytes(HexFormat.of().parseHex(digest.sha256()));
  }
}
