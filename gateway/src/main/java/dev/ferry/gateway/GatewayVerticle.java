package dev.ferry.gateway;

import dev.ferry.gateway.command.CommandTable;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.ChunkCodec;
import dev.ferry.protocol.bus.TokenRevocations;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLEngineOptions;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The front door: a TCP server (TLS from the first byte when configured, like implicit FTPS)
 * speaking PROTOCOL.md, one {@link Connection} with its {@link Session} per client. It holds no
 * files and no user data; commands become event-bus requests to auth, storage and quota.
 *
 * <p>A process runs several instances on one port, each on an event loop of its own; they share
 * one {@link GatewayResources}, so connection limits and memory bounds hold for the process.
 * Each instance checks its own connections' timeouts with one periodic sweep.
 *
 * <p>Config: the flat Ferry config, see {@link GatewayOptions}.
 */
public class GatewayVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(GatewayVerticle.class.getName());

  private GatewayResources resources;
  private NetServer server;
  /** This instance's open connections: touched only on its event loop. */
  private final Set<Connection> connections = new HashSet<>();
  private TokenRevocations revocations;
  private MessageConsumer<JsonObject> revoked;
  private long sweep;

  /** An instance alone, with resources of its own. */
  public GatewayVerticle() {
    this(null);
  }

  /** An instance sharing {@code resources} with the other instances of its process. */
  public GatewayVerticle(GatewayResources resources) {
    this.resources = resources;
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
    if (resources == null) {
      resources = new GatewayResources(options);
    }
    GatewayResources shared = resources;
    Services services = new Services(vertx, shared.transferBudget());
    CommandDispatcher dispatcher = new CommandDispatcher(CommandTable.create(services, options), services,
      options.tokenTtlSeconds());
    NetServerOptions serverOptions = new NetServerOptions().setHost(options.host()).setPort(shared.listenPort(options.port()))
      .setSslHandshakeTimeout(options.loginStallSeconds()).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
    if (options.tls()) {
      serverOptions.setSsl(true).setSslEngineOptions(engine(options)).setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(options.tlsCertPath())
        .setKeyPath(options.tlsKeyPath()));
    }
    server = vertx.createNetServer(serverOptions)
      // Failed TLS handshakes and the like: the client's problem, not worth more than a debug line.
      .exceptionHandler(error -> LOG.log(System.Logger.Level.DEBUG, () -> "connection failed: " + error))
      .connectHandler(socket -> {
        Connection connection = new Connection(vertx, socket, options, dispatcher, shared);
        if (connection.start(connections::remove)) {
          connections.add(connection);
        }
      });
    sweep = vertx.setPeriodic(Connection.checkPeriodMillis(options), id -> {
      long now = System.nanoTime();
      // A copy: a check may close its connection, and a close may remove it at once.
      for (Connection connection : List.copyOf(connections)) {
        connection.check(now);
        if (revocations != null) {
          connection.closeIfRevoked(revocations);
        }
      }
    });
    return TokenRevocations.start(vertx, options.tokenTtlSeconds())
      .compose(started -> {
        revocations = started;
        // A revocation ends the sessions it voids at once, not at the next sweep.
        revoked = vertx.eventBus().consumer(Addresses.TOKEN_REVOCATIONS, message -> {
          for (Connection connection : List.copyOf(connections)) {
            connection.closeIfRevoked(started);
          }
        });
        return revoked.completion();
      })
      .compose(v -> server.listen());
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
    vertx.cancelTimer(sweep);
    Future<Void> quiet = revoked == null ? Future.succeededFuture() : revoked.unregister()
      .compose(v -> revocations.close());
    return quiet.compose(v -> server == null ? Future.succeededFuture() : server.close());
  }

  /** What this instance shares with the others of its process; valid once started. */
  public GatewayResources resources() {
    return resources;
  }

  /** The port the server listens on; valid once {@link #start()} has completed. */
  public int actualPort() {
    return server.actualPort();
  }
}
