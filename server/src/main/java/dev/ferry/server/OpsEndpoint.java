package dev.ferry.server;

import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.lang.System.Logger.Level;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The ops HTTP port of a Ferry process ({@code httpHost:httpPort}; {@code httpPort} 0 lets the
 * OS pick, -1 turns it off), for Prometheus and Kubernetes probes:
 *
 * <ul>
 *   <li>{@code GET /metrics}: {@link Observability#registry()} in the Prometheus text format</li>
 *   <li>{@code GET /health/live}: 200 {@code {"status":"UP"}} while the event loop runs</li>
 *   <li>{@code GET /health/ready}: 200 {@code {"status":"UP","checks":{...}}} when every needed
 *       bus address answers and the gateway, if any, is not at one of its connection or memory
 *       limits ({@code gateway-load}), else 503 {@code {"status":"DOWN","checks":{...},"missing":[...]}}</li>
 * </ul>
 *
 * <p>An address "answers" when a request to it gets any reply from a consumer, a refusal
 * included: the probe carries no token and an action no service knows, so a live service
 * answers it with a typed failure. No handler, or no reply within {@link #READY_TIMEOUT_MS}
 * (a member that is gone), is not ready.
 */
public final class OpsEndpoint {

  /** How long a readiness probe waits for a service to answer. */
  public static final long READY_TIMEOUT_MS = 1_000;
  /** The action the probe asks for: none of the services knows it, so each answers BAD_REQUEST. */
  static final String PROBE_ACTION = "ready-probe";
  static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String JSON = "application/json";
  private static final String UP = "UP";
  private static final String DOWN = "DOWN";
  /** The readiness check of a gateway at one of its connection or memory limits. */
  static final String GATEWAY_LOAD = "gateway-load";
  static final String SATURATED = "SATURATED";
  private static final int OFF = -1;

  private static final System.Logger LOG = System.getLogger(OpsEndpoint.class.getName());

  private final Vertx vertx;
  private final List<String> needed;
  private final PrometheusMeterRegistry registry;
  private HttpServer server;
  private volatile BooleanSupplier saturated = () -> false;

  private OpsEndpoint(Vertx vertx, List<String> needed) {
    this.vertx = vertx;
    this.needed = List.copyOf(needed);
    this.registry = Observability.registry();
  }

  /**
   * Starts serving on {@code httpHost:httpPort} of {@code config} (defaults from {@link Setting});
   * with {@code httpPort} -1 it serves nothing and {@link #actualPort()} is -1.
   *
   * @param neededAddresses the bus addresses that must answer for this process to be ready, see
   *                        {@link #neededAddresses(Set)}
   */
  public static Future<OpsEndpoint> start(Vertx vertx, JsonObject config, List<String> neededAddresses) {
    String host = config.getString(Setting.HTTP_HOST.key(), (String) Setting.HTTP_HOST.defaultValue());
    int port = config.getInteger(Setting.HTTP_PORT.key(), (Integer) Setting.HTTP_PORT.defaultValue());
    OpsEndpoint endpoint = new OpsEndpoint(vertx, neededAddresses);
    if (port == OFF) {
      return Future.succeededFuture(endpoint);
    }
    if (port < 0 || port > 65535) {
      return Future.failedFuture(new IllegalArgumentException(Setting.HTTP_PORT.key() + " must be -1 (off) or 0..65535, got " + port));
    }
    Router router = Router.router(vertx);
    router.get("/metrics").handler(endpoint::metrics);
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", UP)));
    router.get("/health/ready").handler(endpoint::ready);
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
      .requestHandler(router)
      .listen()
      .map(listening -> {
        endpoint.server = listening;
        LOG.log(Level.INFO, "ops endpoint on http://" + host + ":" + listening.actualPort() + " (/metrics, /health/live, /health/ready)");
        return endpoint;
      });
  }

  /**
   * The addresses a process running {@code services} needs to be ready (issue 5 design): the
   * gateway needs auth, storage and quota; quota needs auth and storage; storage and auth need
   * nothing but themselves, so each service run here needs its own address answering too (a
   * sign its deployment is done).
   */
  public static List<String> neededAddresses(Set<Service> services) {
    Set<String> needed = new LinkedHashSet<>();
    for (Service service : services) {
      switch (service) {
        case GATEWAY -> needed.addAll(List.of(Addresses.AUTH, Addresses.STORAGE, Addresses.QUOTA));
        case SFTP -> needed.addAll(List.of(Addresses.AUTH, Addresses.STORAGE));
        case QUOTA -> needed.addAll(List.of(Addresses.AUTH, Addresses.STORAGE, Addresses.QUOTA));
        case AUTH -> needed.add(Addresses.AUTH);
        case STORAGE -> needed.add(Addresses.STORAGE);
        default -> {
        }
      }
    }
    return List.copyOf(needed);
  }

  /** Readiness is withdrawn while {@code check} says the gateway takes no more clients. */
  public void saturation(BooleanSupplier check) {
    this.saturated = check;
  }

  /** The port it listens on (the real one when 0 was asked); -1 when it is off. */
  public int actualPort() {
    return server == null ? OFF : server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void metrics(RoutingContext ctx) {
    // Formatting every meter is CPU work that grows with their number: kept off the event loop.
    vertx.executeBlocking(registry::scrape, false).onComplete(scraped -> {
      if (scraped.succeeded()) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, METRICS_CONTENT_TYPE).end(scraped.result());
      } else {
        LOG.log(Level.WARNING, "scraping the metrics failed", scraped.cause());
        ctx.response().setStatusCode(500).end();
      }
    });
  }

  private void ready(RoutingContext ctx) {
    List<Future<String>> probes = needed.stream().map(this::probe).toList();
    Future.join(probes).onComplete(done -> {
      JsonObject checks = new JsonObject();
      JsonArray missing = new JsonArray();
      for (int i = 0; i < needed.size(); i++) {
        String state = probes.get(i).result();
        checks.put(needed.get(i), state);
        if (!state.equals(UP)) {
          missing.add(needed.get(i));
        }
      }
      if (saturated.getAsBoolean()) {
        checks.put(GATEWAY_LOAD, SATURATED);
        missing.add(GATEWAY_LOAD);
      }
      JsonObject body = new JsonObject().put("status", missing.isEmpty() ? UP : DOWN).put("checks", checks);
      if (missing.isEmpty()) {
        json(ctx, 200, body);
      } else {
        json(ctx, 503, body.put("missing", missing));
      }
    });
  }

  /** {@code UP} when a consumer answered, else why not ({@code NO_HANDLERS}, {@code TIMEOUT}, ...). Never fails. */
  private Future<String> probe(String address) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(READY_TIMEOUT_MS).addHeader(BusService.ACTION_HEADER, PROBE_ACTION);
    return vertx.eventBus().request(address, new JsonObject(), options)
      .map(reply -> UP)
      .recover(error -> {
        if (error instanceof ReplyException refused) {
          return Future.succeededFuture(refused.failureType() == ReplyFailure.RECIPIENT_FAILURE ? UP : refused.failureType().name());
        }
        return Future.succeededFuture(DOWN);
      });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.encode());
  }
}
