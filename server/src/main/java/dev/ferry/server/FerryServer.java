package dev.ferry.server;

import dev.ferry.auth.AuthVerticle;
import dev.ferry.gateway.GatewayVerticle;
import dev.ferry.quota.QuotaVerticle;
import dev.ferry.storage.StorageVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One Ferry server in one Vert.x instance: auth, storage and quota services on the local event
 * bus, then the gateway, which opens its port last so that no client meets a half-started server.
 */
public final class FerryServer {

  private final Vertx vertx;
  private final JsonObject config;
  private final List<String> deployments;
  private final GatewayVerticle gateway;

  private FerryServer(Vertx vertx, JsonObject config, List<String> deployments, GatewayVerticle gateway) {
    this.vertx = vertx;
    this.config = config;
    this.deployments = deployments;
    this.gateway = gateway;
  }

  /**
   * Starts every service. {@code config} holds {@link Setting} keys and is merged over the
   * built-in defaults, so a test may give only what it changes.
   */
  public static Future<FerryServer> start(Vertx vertx, JsonObject config) {
    JsonObject merged = Setting.defaults().mergeIn(config == null ? new JsonObject() : config);
    return vertx.executeBlocking(() -> prepare(merged), false)
      .compose(ready -> {
        List<String> ids = new ArrayList<>();
        GatewayVerticle gateway = new GatewayVerticle();
        return deploy(vertx, new AuthVerticle(), ready, ids)
          .compose(v -> deploy(vertx, new StorageVerticle(), ready, ids))
          .compose(v -> deploy(vertx, new QuotaVerticle(), ready, ids))
          .compose(v -> deploy(vertx, gateway, ready, ids))
          .map(v -> new FerryServer(vertx, ready, ids, gateway))
          .recover(err -> undeployAll(vertx, ids).transform(ignored -> Future.failedFuture(err)));
      });
  }

  private static Future<Void> deploy(Vertx vertx, Deployable verticle, JsonObject config, List<String> ids) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).map(id -> {
      ids.add(id);
      return null;
    });
  }

  /** Blocking start-up work: the data directory, the token key and the TLS material. */
  private static JsonObject prepare(JsonObject config) throws Exception {
    JsonObject ready = config.copy();
    Path data = Path.of(ready.getString(Setting.DATA.key())).toAbsolutePath().normalize();
    Files.createDirectories(data);
    ready.put(Setting.DATA.key(), data.toString());
    if (ready.getString(Setting.TOKEN_SECRET.key()) == null) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      ready.put(Setting.TOKEN_SECRET.key(), Base64.getEncoder().encodeToString(key));
    }
    boolean tls = ready.getBoolean(Setting.TLS.key());
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

  /** The gateway's real port (useful when the configured port is 0). */
  public int port() {
    return gateway.actualPort();
  }

  public String host() {
    return config.getString(Setting.HOST.key());
  }

  /** The effective configuration, defaults included. */
  public JsonObject config() {
    return config.copy();
  }

  /** Stops the gateway first (no new sessions), then the services. */
  public Future<Void> close() {
    return undeployAll(vertx, deployments);
  }
}
