package dev.ferry.sftp;

import dev.ferry.protocol.bus.ChunkCodec;
import dev.ferry.sftp.fs.FerryFileSystemFactory;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.SftpModuleProperties;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The SFTP door: an Apache MINA SSHD server beside the Ferry gateway, on the same auth and
 * storage services. SSHD runs on its own threads (its I/O workers and one thread per SFTP
 * channel, bounded by {@link SftpOptions#MAX_SESSIONS} and
 * {@link SftpOptions#MAX_CHANNELS_PER_SESSION}); their service requests wait on bus futures,
 * never on a Vert.x event loop. {@code sftpPort=-1} leaves it off.
 */
public final class SftpVerticle extends VerticleBase {

  private SshServer server;
  private HostKey hostKey;

  @Override
  public Future<?> start() {
    SftpOptions options = new SftpOptions(config());
    if (!options.enabled()) {
      return Future.succeededFuture();
    }
    ChunkCodec.register(vertx);
    return vertx.executeBlocking(() -> {
      hostKey = options.hostKeyPath() != null ? HostKey.read(options.hostKeyPath()) : HostKey.load(options.data().resolve("ssh"));
      SshServer ssh = build(options);
      ssh.start();
      server = ssh;
      return null;
    }, false);
  }

  private SshServer build(SftpOptions options) {
    SftpMetrics metrics = new SftpMetrics();
    SshServer ssh = SshServer.setUpDefaultServer();
    ssh.setHost(options.host());
    ssh.setPort(options.port());
    ssh.setKeyPairProvider(hostKey.provider());
    FerryLogin login = new FerryLogin(vertx, metrics);
    ssh.setPasswordAuthenticator(login);
    ssh.setPublickeyAuthenticator(login);
    ssh.setKeyboardInteractiveAuthenticator(null);
    ssh.setGSSAuthenticator(null);
    ssh.setHostBasedAuthenticator(null);
    ssh.setFileSystemFactory(new FerryFileSystemFactory(vertx, options.tokenTtlSeconds()));
    ssh.setSubsystemFactories(List.of(new FerrySftpFactory(metrics)));
    CoreModuleProperties.MAX_CONCURRENT_SESSIONS.set(ssh, SftpOptions.MAX_SESSIONS);
    CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(ssh, SftpOptions.MAX_CHANNELS_PER_SESSION);
    CoreModuleProperties.WINDOW_SIZE.set(ssh, SftpOptions.CHANNEL_WINDOW);
    CoreModuleProperties.AUTH_TIMEOUT.set(ssh, SftpOptions.AUTH_TIMEOUT);
    CoreModuleProperties.IDLE_TIMEOUT.set(ssh, SftpOptions.IDLE_TIMEOUT);
    SftpModuleProperties.MAX_OPEN_HANDLES_PER_SESSION.set(ssh, SftpOptions.MAX_HANDLES_PER_CHANNEL);
    SftpModuleProperties.MAX_READDATA_PACKET_LENGTH.set(ssh, SftpOptions.MAX_DATA_PACKET);
    SftpModuleProperties.MAX_WRITEDATA_PACKET_LENGTH.set(ssh, SftpOptions.MAX_DATA_PACKET);
    ssh.addSessionListener(new SessionListener() {
      @Override
      public void sessionEvent(Session session, Event event) {
        if (event == Event.Authenticated && session.getAttribute(SftpUser.KEY) != null) {
          metrics.sessionOpened();
        }
      }

      @Override
      public void sessionClosed(Session session) {
        if (session.isAuthenticated() && session.getAttribute(SftpUser.KEY) != null) {
          metrics.sessionClosed();
        }
      }
    });
    return ssh;
  }

  @Override
  public Future<?> stop() {
    SshServer running = server;
    if (running == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      running.stop(true);
      return null;
    }, false);
  }

  /** Whether the door is listening (false with {@code sftpPort=-1}). */
  public boolean listening() {
    return server != null;
  }

  /** The port it listens on; valid once started. */
  public int actualPort() {
    return server == null ? -1 : ((InetSocketAddress) server.getBoundAddresses().iterator().next()).getPort();
  }

  /** Its host key's fingerprint as {@code ssh-keygen -lf} shows it. */
  public String hostKeyFingerprint() {
    return hostKey.fingerprint();
  }
}
