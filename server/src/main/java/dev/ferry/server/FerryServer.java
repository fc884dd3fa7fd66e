package dev.ferry.server;

import dev.ferry.gateway.GatewayOptions;
import dev.ferry.gateway.GatewayResources;
import dev.ferry.gateway.GatewayVerticle;
import dev.ferry.protocol.store.PrivateFiles;
import dev.ferry.sftp.SftpVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Ferry services of one process in one Vert.x instance: by default all of them on the local
 * event bus; in a cluster the subset the {@code services} setting names, on the clustered event
 * bus of the Vert.x it is given. Services start in {@link Service} order: auth, storage and quota,
 * then the gateway, which opens its port last so that no client meets a half-started server.
 */
public final class FerryServer {

  private final Vertx vertx;
  private final JsonObject config;
  private final Set<Service> services;
  private final List<String> deployments;
  private final GatewayVerticle gateway;
  private final SftpVerticle sftp;

  private FerryServer(Vertx vertx, JsonObject config, Set<Service> services, List<String> deployments, GatewayVerticle gateway,
    SftpVerticle sftp) {
    this.vertx = vertx;
    this.config = config;
    this.services = services;
    this.deployments = deployments;
    this.gateway = gateway;
    this.sftp = sftp;
  }

  /**
   * Starts the services the {@code services} setting names (all by default). {@code config}
   * holds {@link Setting} keys and is merged over the built-in defaults, so a test may give only
   * what it changes.
   */
  public static Future<FerryServer> start(Vertx vertx, JsonObject config) {
    JsonObject merged = Setting.defaults().mergeIn(config == null ? new JsonObject() : config);
    Set<Service> services;
    try {
      services = Service.parseList(merged.getString(Setting.SERVICES.key()));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> prepare(merged, services), false)
      .compose(prepared -> {
        // The signing key goes to auth-service's deployment alone, and is not kept in config().
        JsonObject ready = prepared.copy();
        ready.remove(TokenKeyFiles.PRIVATE_KEY);
        List<String> ids = new ArrayList<>();
        GatewayVerticle gateway;
        try {
          gateway = services.contains(Service.GATEWAY) ? new GatewayVerticle(new GatewayResources(new GatewayOptions(ready))) : null;
        } catch (IllegalArgumentException e) {
          return Future.failedFuture(e);
        }
        SftpVerticle sftp = services.contains(Service.SFTP) ? new SftpVerticle() : null;
        Future<Void> chain = Future.succeededFuture();
        for (Service service : services) {
          if (service == Service.GATEWAY) {
            chain = chain.compose(v -> deployGateway(vertx, gateway, ready, ids));
          } else if (service == Service.SFTP) {
            chain = chain.compose(v -> deploy(vertx, sftp, ready, ids));
          } else {
            Deployable verticle = service.newVerticle();
            JsonObject own = service == Service.AUTH ? prepared : ready;
            chain = chain.compose(v -> deploy(vertx, verticle, own, ids));
          }
        }
        return chain.map(v -> new FerryServer(vertx, ready, services, ids, gateway, sftp))
          .recover(err -> undeployAll(vertx, ids).transform(ignored -> Future.failedFuture(err)));
      });
  }

  /**
   * The gateway's instances, one per event loop, all sharing {@code first}'s resources and port:
   * first alone, so that a failure to listen is reported once.
   */
  private static Future<Void> deployGateway(Vertx vertx, GatewayVerticle first, JsonObject config, List<String> ids) {
    int instances = new GatewayOptions(config).gatewayInstances();
    return deploy(vertx, first, config, ids).compose(v -> {
      if (instances == 1) {
        return Future.succeededFuture();
      }
      return vertx.deployVerticle(() -> new GatewayVerticle(first.resources()),
          new DeploymentOptions().setConfig(config).setInstances(instances - 1))
        .map(id -> {
          ids.add(id);
          return null;
        });
    });
  }

  private static Future<Void> deploy(Vertx vertx, Deployable verticle, JsonObject config, List<String> ids) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).map(id -> {
      ids.add(id);
      return null;
    });
  }

  /**
   * Blocking start-up work: the data directory (when a service here keeps data), the token keys
   * and the TLS material (only where the gateway runs).
   */
  private static JsonObject prepare(JsonObject config, Set<Service> services) throws Exception {
    JsonObject ready = config.copy();
    Path data = Path.of(ready.getString(Setting.DATA.key())).toAbsolutePath().normalize();
    ready.put(Setting.DATA.key(), data.toString());
    boolean gateway = services.contains(Service.GATEWAY);
    boolean keepsData = services.stream().anyMatch(service -> service != Service.GATEWAY);
    if (keepsData) {
      PrivateFiles.createDirectories(data);
    }
    TokenKeyFiles.load(ready, services, data);
    boolean tls = gateway && ready.getBoolean(Setting.TLS.key());
    boolean configured = ready.getString(Setting.TLS_CERT_PATH.key()) != null || ready.getString(Setting.TLS_KEY_PATH.key()) != null;
    if (tls && !configured) {
      Path[] material = SelfSignedCertificate.ensure(data.resolve("tls"), ready.getString(Setting.HOST.key()));
      ready.put(Setting.TLS_CERT_PATH.key(), material[0].toString());
      ready.put(Setting.TLS_KEY_PATH.key(), material[1].toString());
    } else if (tls) {
      for (Setting s : List.of(Setting.TLS_CERT_PATH, Setting.TLS_KEY_PATH)) {
        String path = ready.getString(s.key());
        if (path == null || !Files.isReadable(Path.of(path))) {
          throw new IllegalArgumentException(s.key() + " (" + s.env() + ") must name a readable PEM file, got " + path);
        }
      }
    }
    return ready;
  }

  private static Future<Void> undeployAll(Vertx vertx, List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = ids.size() - 1; i >= 0; i--) {
      String id = ids.get(i);
      chain = chain.compose(v -> vertx.undeploy(id)).recover(err -> Future.succeededFuture());
    }
    return chain;
  }

  /**
   * The gateway's real port (useful when the configured port is 0).
   *
   * @throws IllegalStateException when this process runs no gateway
   */
  public int port() {
    if (gateway == null) {
      throw new IllegalStateException("this process runs no gateway");
    }
    return gateway.actualPort();
  }

  /**
   * Whether this process's gateway would refuse or keep waiting a new client now (false without
   * a gateway): its readiness is then withdrawn.
   */
  public boolean saturated() {
    return gateway != null && gateway.resources().saturated();
  }

  /**
   * What an admin hands out, printed at start: the SFTP door's address and host key fingerprint
   * (as {@code ssh-keygen -lf} shows it), and the gateway's TLS certificate fingerprint (as the
   * CLI's {@code known_servers} records it).
   */
  public List<String> doorLines() throws IOException {
    List<String> lines = new ArrayList<>();
    if (gateway != null && config.getBoolean(Setting.TLS.key())) {
      lines.add("ferry tls certificate " + certificateFingerprint(Path.of(config.getString(Setting.TLS_CERT_PATH.key()))));
    }
    if (sftp != null && sftp.listening()) {
      lines.add("ferry sftp listening on " + config.getString(Setting.SFTP_HOST.key()) + ":" + sftp.actualPort());
      lines.add("ferry sftp host key " + sftp.hostKeyFingerprint() + " (ECDSA)");
    }
    return lines;
  }

  /** {@code SHA256:<hex>} of the first certificate in a PEM file. */
  static String certificateFingerprint(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      byte[] der = CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
      return "SHA256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the certificate " + pem, e);
    }
  }

  /** The SFTP door's real port, or -1 when this process runs none (or it is off). */
  public int sftpPort() {
    return sftp == null ? -1 : sftp.actualPort();
  }

  /** The services this process runs, in starting order. */
  public Set<Service> services() {
    return services;
  }

  public String host() {
    return config.getString(Setting.HOST.key());
  }

  /** The effective configuration, defaults included. */
  public JsonObject config() {
    return config.copy();
  }

  /** Stops the gateway first (no new sessions), then the services, in reverse starting order. */
  public Future<Void> close() {
    return undeployAll(vertx, deployments);
  }
}
