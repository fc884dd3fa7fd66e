package dev.ferry.sftp;

import dev.ferry.sftp.fs.FerryFileAccessor;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.sftp.server.UnsupportedAttributePolicy;

/** Makes a {@link FerrySftpSubsystem} for each SFTP channel, with Ferry's file accessor. */
final class FerrySftpFactory extends SftpSubsystemFactory {

  FerrySftpFactory(SftpMetrics metrics) {
    setFileSystemAccessor(FerryFileAccessor.INSTANCE);
    setUnsupportedAttributePolicy(UnsupportedAttributePolicy.Ignore);
    addSftpEventListener(metrics.listener());
  }

  @Override
  public Command createSubsystem(ChannelSession channel) {
    FerrySftpSubsystem subsystem = new FerrySftpSubsystem(channel, this);
    getRegisteredListeners().forEach(subsystem::addSftpEventListener);
    return subsystem;
  }
}
