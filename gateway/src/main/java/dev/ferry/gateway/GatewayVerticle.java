package dev.ferry.gateway;

import dev.ferry.gateway.command.CommandTable;
import dev.ferry.protocol.bus.ChunkCodec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLEngineOptions;

/**
 * The front door: a TCP server (TLS from the first byte when configured, like implicit FTPS)
 * speaking PROTOCOL.md, one {@link Connection} with its {@link Session} per client. It holds no
 * files and no user data; commands become event-bus requests to auth, storage and quota.
 *
 * <p>Config: the flat Ferry config, see {@link GatewayOptions}.
 */
public class GatewayVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(GatewayVerticle.class.getName());

  private NetServer server;

  public GatewayVerticle() {
  }

  @Override
  public Future<?> start() {
    GatewayOptions options;
    try {
      options = new GatewayOptions(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    ChunkCodec.register(vertx);
    GatewayMetrics.register();
    Services services = new Services(vertx, options.transferMemory());
    CommandDispatcher dispatcher = new CommandDispatcher(CommandTable.create(services, options), services,
      options.tokenTtlSeconds());
    NetServerOptions serverOptions = new NetServerOptions().setHost(options.host()).setPort(options.port());
    if (options.tls()) {
      serverOptions.setSsl(true).setSslEngineOptions(engine(options)).setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(options.tlsCertPath())
        .setKeyPath(options.tlsKeyPath()));
    }
    server = vertx.createNetServer(serverOptions)
      // Failed TLS handshakes and the like: the client's problem, not worth more than a debug line.
      .exceptionHandler(error -> LOG.log(System.Logger.Level.DEBUG, () -> "connection failed: " + error))
      .connectHandler(socket -> new Connection(vertx, socket, options, dispatcher, services.transfers().budget()).start());
    return server.listen();
  }

  private static SSLEngineOptions engine(GatewayOptions options) {
    if (options.tlsEngine().equals("openssl")) {
      if (OpenSSLEngineOptions.isAvailable()) {
        return new OpenSSLEngineOptions();
      }
      LOG.log(System.Logger.Level.WARNING, "OpenSSL is not available on this platform; TLS uses the JDK engine");
    }
    return new JdkSSLEngineOptions();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The port the server listens on; valid once {@link #start()} has completed. */
  public int actualPort() {
    return server.actualPort();
  }
}
