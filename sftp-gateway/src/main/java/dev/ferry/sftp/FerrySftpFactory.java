package dev.ferry.sftp;

import dev.ferry.sftp.fs.FerryFileAccessor;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpSubsystemEnvironment;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.sftp.server.UnsupportedAttributePolicy;

import java.nio.file.FileSystemException;

/** Makes a {@link FerrySftpSubsystem} for each SFTP channel, with Ferry's file accessor. */
final class FerrySftpFactory extends SftpSubsystemFactory {

  FerrySftpFactory(SftpMetrics metrics) {
    setFileSystemAccessor(FerryFileAccessor.INSTANCE);
    setUnsupportedAttributePolicy(UnsupportedAttributePolicy.Ignore);
    addSftpEventListener(metrics.listener());
    setErrorStatusDataHandler(new SftpErrorStatusDataHandler() {
      /** The reasons the door gives its own failures ("quota exceeded"); SSHD's generic text otherwise. */
      @Override
      public String resolveErrorMessage(SftpSubsystemEnvironment sftp, int id, Throwable e, int subStatus, int cmd, Object... args) {
        if (e instanceof FileSystemException failure && failure.getReason() != null) {
          return failure.getReason();
        }
        return SftpErrorStatusDataHandler.super.resolveErrorMessage(sftp, id, e, subStatus, cmd, args);
      }
    });
  }

  @Override
  public Command createSubsystem(ChannelSession channel) {
    FerrySftpSubsystem subsystem = new FerrySftpSubsystem(channel, this);
    getRegisteredListeners().forEach(subsystem::addSftpEventListener);
    return subsystem;
  }
}
