package dev.ferry.client.net;

import dev.ferry.client.ConnectionException;
import dev.ferry.client.Messages;
import dev.ferry.client.Target;
import dev.ferry.client.format.SafeText;
import dev.ferry.protocol.Replies;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * Opens connections: TLS by default with the server certificate pinned in
 * {@code known_servers} (trust on first use, like ssh), or plain TCP for servers run with
 * {@code FERRY_TLS=false}.
 */
public final class Connector {

  private final KnownServers knownServers;
  private final boolean tls;
  private final boolean acceptNewCertificate;
  private final TrustPrompt prompt;

  public Connector(KnownServers knownServers, boolean tls, boolean acceptNewCertificate, TrustPrompt prompt) {
    this.knownServers = knownServers;
    this.tls = tls;
    this.acceptNewCertificate = acceptNewCertificate;
    this.prompt = prompt;
  }

  public Connection connect(Target target) throws ConnectionException {
    return tls ? connectTls(target) : open(target, null);
  }

  private Connection connectTls(Target target) throws ConnectionException {
    String key = target.serverKey();
    String recorded = recordedFingerprint(key).orElse(null);
    PinningTrustManager pin = new PinningTrustManager(recorded, acceptNewCertificate);
    Connection connection;
    try {
      connection = open(target, tlsEngine(target, pin));
    } catch (ConnectionException e) {
      if (pin.refusedAsChanged()) {
        throw new CertificateChangedException(key, recorded, pin.presented(), knownServers.file().toString());
      }
      throw e;
    }
    String presented = pin.presented();
    try {
      if (recorded == null) {
        if (!prompt.trustNewServer(key, presented)) {
          closeQuietly(connection);
          throw new ConnectionException("certificate.declined", key);
        }
        knownServers.remember(key, presented);
      } else if (!KnownServers.same(recorded, presented)) {
        knownServers.remember(key, presented);
        prompt.replacedCertificate(key, recorded, presented);
      }
    } catch (IOException e) {
      closeQuietly(connection);
      throw new ConnectionException(e, "known-servers.unwritable", knownServers.file(), e.getMessage());
    }
    return connection;
  }

  private Optional<String> recordedFingerprint(String key) throws ConnectionException {
    try {
      return knownServers.fingerprintOf(key);
    } catch (IOException e) {
      throw new ConnectionException(e, "known-servers.unreadable", knownServers.file(), e.getMessage());
    }
  }

  /**
   * Starts the TLS engine's one-time set-up (its native library, and the JDK TLS context netty
   * probes as it starts, together about a third of a second) on a daemon thread, so that it runs
   * while the command line is read; the first connection finds it done, or waits for the rest.
   */
  public static void warmUpInBackground() {
    Thread warmUp = new Thread(() -> {
      try {
        OpenSsl.isAvailable();
        SslContextBuilder.forClient();
      } catch (RuntimeException | LinkageError e) {
        // The connection meets the same failure, and reports it.
      }
    }, "tls-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  /** What runs TLS, as {@code --version} reports it: OpenSSL (BoringSSL) and its version, or the JDK's engine. */
  public static String tlsImplementation() {
    return OpenSsl.isAvailable() ? OpenSsl.versionString() : "JDK " + System.getProperty("java.version");
  }

  /**
   * A client engine for {@code target}: OpenSSL (BoringSSL, as the server uses) where its
   * native library loads, which encrypts several times faster than the JDK's engine in a
   * short-lived JVM; the JDK's elsewhere.
   */
  static SSLEngine tlsEngine(Target target, PinningTrustManager pin) throws ConnectionException {
    try {
      SslContext context = SslContextBuilder.forClient()
        .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
        .trustManager(pin)
        .build();
      return context.newEngine(PooledByteBufAllocator.DEFAULT, target.host(), target.port());
    } catch (SSLException | RuntimeException e) {
      throw new ConnectionException(e, "connect.tls-failed", target.serverKey(), e.getMessage());
    }
  }

  private static Connection open(Target target, SSLEngine tls) throws ConnectionException {
    String where = target.serverKey();
    try {
      return Connection.open(target.host(), target.port(), tls);
    } catch (UnknownHostException e) {
      throw new ConnectionException(e, "connect.unknown-host", target.host());
    } catch (ConnectException | NoRouteToHostException | SocketTimeoutException e) {
      throw new ConnectionException(e, "connect.refused", where, e.getMessage());
    } catch (SSLException e) {
      throw new ConnectionException(e, tls == null ? "connect.failed" : "connect.tls-failed", where, e.getMessage());
    } catch (EOFException e) {
      // A TLS server waiting for a handshake closes a plain client; a plain one, a TLS client.
      throw new ConnectionException(e, tls == null ? "connect.closed-plain" : "connect.closed", where);
    } catch (ServerBusyException e) {
      throw busy(e, where);
    } catch (ProtocolException e) {
      throw new ConnectionException(e, "connect.not-ferry", where, e.getMessage());
    } catch (IOException e) {
      throw new ConnectionException(e, "connect.failed", where, e.getMessage());
    }
  }

  /** "server HOST:PORT is busy: too many connections; try again later", in the user's language. */
  public static ConnectionException busy(ServerBusyException e, String where) {
    String reason = switch (e.reason()) {
      case Replies.BUSY_CONNECTIONS -> "busy.connections";
      case Replies.BUSY_UNAUTHENTICATED -> "busy.unauthenticated";
      case Replies.BUSY_ADDRESS -> "busy.address";
      case Replies.BUSY_MEMORY -> "busy.memory";
      default -> "busy.other";
    };
    return new ConnectionException(e, "connect.busy", where, new Messages.Ref(reason, SafeText.of(e.reason())));
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (IOException e) {
      // Already failing for a better reason; the socket is gone either way.
    }
  }
}
