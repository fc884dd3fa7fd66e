package dev.ferry.server;

import dev.ferry.protocol.Header;
import dev.ferry.protocol.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.ferry.server.WireTransfers.random;
import static dev.ferry.server.WireTransfers.uploadData;
import static dev.ferry.server.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ops HTTP port of a real server whose Vert.x reports to the Prometheus registry: the Ferry
 * meters move by exactly what real transfers over the wire do, Vert.x's own meters are there,
 * and readiness follows the services answering on the bus.
 */
class OpsEndpointTest {

  private static final String PASSWORD = "metrics-pass-1";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path data;
  static ServerFixture server;
  static OpsEndpoint ops;

  @BeforeAll
  static void start() throws Exception {
    server = ServerFixture.start(Observability.vertxBuilder().build(), data, new JsonObject());
    ops = await(OpsEndpoint.start(server.vertx, opsConfig(), OpsEndpoint.neededAddresses(server.server.services())));
  }

  @AfterAll
  static void stop() throws Exception {
    await(ops.close());
    server.close();
  }

  @Test
  void liveAnswersUp() throws Exception {
    HttpResponse<String> live = get(ops, "/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(live.body())).isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(get(ops, "/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void metricsShowTheFerryMetersVertxsOwnAndTheJvms() throws Exception {
    HttpResponse<String> metrics;
    try (WireClient connected = WireClient.connect(server.port())) {
      // Vert.x meters a net server from its first connection on.
      assertThat(connected.greeting().cmd()).isNotEmpty();
      metrics = get(ops, "/metrics");
    }
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    Map<String, Double> samples = samples(metrics.body());
    assertThat(samples).containsKeys(
      "ferry_sessions_open",
      "ferry_logins_total{result=\"ok\"}",
      "ferry_logins_total{result=\"locked\"}",
      "ferry_transfer_bytes_total{direction=\"upload\"}",
      "ferry_transfers_total{direction=\"upload\",result=\"checksum_mismatch\"}",
      "ferry_transfers_total{direction=\"download\",result=\"aborted\"}",
      "ferry_transfer_duration_seconds_count{direction=\"upload\"}",
      "ferry_transfer_duration_seconds_bucket{direction=\"download\",le=\"1.0\"}",
      "ferry_quota_rejections_total",
      "ferry_partial_uploads");
    assertThat(samples.keySet()).anyMatch(name -> name.startsWith("vertx_eventbus_"));
    // At least this one: the close of an earlier test's connection may still be on its way.
    assertThat(samples.get("vertx_net_server_active_connections")).isGreaterThanOrEqualTo(1.0);
    assertThat(samples.keySet()).anyMatch(name -> name.startsWith("vertx_pool_"));
    assertThat(samples.keySet()).anyMatch(name -> name.startsWith("jvm_memory_used_bytes"));
  }

  @Test
  void anUploadAndADownloadMoveBytesTransfersLoginsAndSessions() throws Exception {
    Map<String, Double> before = scrape();
    addUser("mover", 0);
    byte[] content = random(3 * WireTransfers.CHUNK + 100, 11);
    try (WireClient client = WireClient.login(server.port(), "mover", PASSWORD, "user")) {
      assertThat(scrape().get("ferry_sessions_open")).isEqualTo(before.get("ferry_sessions_open") + 1);
      assertThat(WireTransfers.upload(client, uploadData("", "f.bin", content, false), content)).startsWith("SUCCESS*");
      assertThat(WireTransfers.download(client, "f.bin", 0).bytes()).isEqualTo(content);
      assertThat(client.call("logout", "")).isEqualTo("BYE");
    }
    Map<String, Double> after = scrape();
    assertThat(grew(before, after, "ferry_transfer_bytes_total{direction=\"upload\"}")).isEqualTo(content.length);
    assertThat(grew(before, after, "ferry_transfer_bytes_total{direction=\"download\"}")).isEqualTo(content.length);
    assertThat(grew(before, after, "ferry_transfers_total{direction=\"upload\",result=\"success\"}")).isEqualTo(1);
    assertThat(grew(before, after, "ferry_transfers_total{direction=\"download\",result=\"success\"}")).isEqualTo(1);
    assertThat(grew(before, after, "ferry_transfers_total{direction=\"upload\",result=\"failed\"}")).isZero();
    assertThat(grew(before, after, "ferry_transfer_duration_seconds_count{direction=\"upload\"}")).isEqualTo(1);
    assertThat(grew(before, after, "ferry_transfer_duration_seconds_count{direction=\"download\"}")).isEqualTo(1);
    // The admin who added the account, and the account itself.
    assertThat(grew(before, after, "ferry_logins_total{result=\"ok\"}")).isEqualTo(2);
    assertThat(after.get("ferry_sessions_open")).isEqualTo(before.get("ferry_sessions_open"));
  }

  @Test
  void anUploadPastTheQuotaIsARejection() throws Exception {
    Map<String, Double> before = scrape();
    addUser("tiny", 1000);
    byte[] content = random(2000, 12);
    try (WireClient client = WireClient.login(server.port(), "tiny", PASSWORD, "user")) {
      Header refused = client.call(new Header("", "", "upload", uploadData("", "big.bin", content, false)));
      assertThat(refused.data()).isEqualTo("NOT_READY*QUOTA_EXCEEDED*0*1000");
      assertThat(client.call("logout", "")).isEqualTo("BYE");
    }
    Map<String, Double> after = scrape();
    assertThat(grew(before, after, "ferry_quota_rejections_total")).isEqualTo(1);
    // Refused before it began: no transfer, no bytes.
    assertThat(grew(before, after, "ferry_transfers_total{direction=\"upload\",result=\"quota_exceeded\"}")).isZero();
    assertThat(grew(before, after, "ferry_transfer_bytes_total{direction=\"upload\"}")).isZero();
  }

  @Test
  void readyWhenEveryNeededServiceAnswers() throws Exception {
    HttpResponse<String> ready = get(ops, "/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(ready.body());
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(body.getJsonObject("checks").getMap()).containsOnly(
      Map.entry(Addresses.AUTH, "UP"), Map.entry(Addresses.STORAGE, "UP"), Map.entry(Addresses.QUOTA, "UP"));
  }

  @Test
  void notReadyWhileANeededAddressHasNoConsumerOrNeverAnswers() throws Exception {
    MessageConsumer<Object> silent = server.vertx.eventBus().consumer("ferry.test.silent", message -> {
      // Takes requests and never answers: a member that hangs.
    });
    await(silent.completion());
    OpsEndpoint partial = await(OpsEndpoint.start(server.vertx, opsConfig(),
      List.of(Addresses.AUTH, "ferry.test.nobody", "ferry.test.silent")));
    try {
      HttpResponse<String> ready = get(partial, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      JsonObject body = new JsonObject(ready.body());
      assertThat(body.getString("status")).isEqualTo("DOWN");
      assertThat(body.getJsonArray("missing")).isEqualTo(new JsonArray().add("ferry.test.nobody").add("ferry.test.silent"));
      assertThat(body.getJsonObject("checks").getMap()).containsOnly(
        Map.entry(Addresses.AUTH, "UP"), Map.entry("ferry.test.nobody", "NO_HANDLERS"), Map.entry("ferry.test.silent", "TIMEOUT"));
    } finally {
      await(partial.close());
      await(silent.unregister());
    }
  }

  @Test
  void aGatewayTurnsReadyOnlyOnceTheServicesItNeedsAnswer(@TempDir Path servicesData) throws Exception {
    Vertx vertx = Observability.vertxBuilder().build();
    try {
      OpsEndpoint gatewayOps = await(OpsEndpoint.start(vertx, opsConfig(), OpsEndpoint.neededAddresses(Set.of(Service.GATEWAY))));
      HttpResponse<String> early = get(gatewayOps, "/health/ready");
      assertThat(early.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(early.body()).getJsonArray("missing"))
        .isEqualTo(new JsonArray().add(Addresses.AUTH).add(Addresses.STORAGE).add(Addresses.QUOTA));
      FerryServer services = await(FerryServer.start(vertx, new JsonObject()
        .put("data", servicesData.toString())
        .put("services", "auth,storage,quota")
        .put("adminPassword", ServerFixture.ADMIN_PASSWORD)
        .put("pbkdf2Iterations", 10_000)));
      assertThat(get(gatewayOps, "/health/ready").statusCode()).isEqualTo(200);
      await(services.close());
      assertThat(get(gatewayOps, "/health/ready").statusCode()).isEqualTo(503);
      await(gatewayOps.close());
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void neededAddressesFollowTheServicesRunHere() {
    assertThat(OpsEndpoint.neededAddresses(Set.of(Service.AUTH))).containsExactly(Addresses.AUTH);
    assertThat(OpsEndpoint.neededAddresses(Set.of(Service.STORAGE))).containsExactly(Addresses.STORAGE);
    assertThat(OpsEndpoint.neededAddresses(Set.of(Service.QUOTA))).containsExactlyInAnyOrder(Addresses.AUTH, Addresses.STORAGE, Addresses.QUOTA);
    assertThat(OpsEndpoint.neededAddresses(Set.of(Service.GATEWAY))).containsExactly(Addresses.AUTH, Addresses.STORAGE, Addresses.QUOTA);
  }

  @Test
  void anHttpPortOfMinusOneServesNothing() throws Exception {
    OpsEndpoint off = await(OpsEndpoint.start(server.vertx, new JsonObject().put("httpPort", -1), List.of()));
    assertThat(off.actualPort()).isEqualTo(-1);
    await(off.close());
  }

  /** Adds an account as an operator would, and logs the admin out so its session is over when this returns. */
  private static void addUser(String account, long quota) throws Exception {
    try (WireClient admin = server.admin()) {
      assertThat(admin.call("useradd", account + "*" + PASSWORD + "*user*" + quota)).isEqualTo("OK");
      assertThat(admin.call("logout", "")).isEqualTo("BYE");
    }
  }

  private static JsonObject opsConfig() {
    return new JsonObject().put("httpHost", "127.0.0.1").put("httpPort", 0);
  }

  private static Map<String, Double> scrape() throws Exception {
    HttpResponse<String> metrics = get(ops, "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    return samples(metrics.body());
  }

  /** Each sample line of the Prometheus text format: {@code name{labels}} to its value. */
  private static Map<String, Double> samples(String text) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  private static double grew(Map<String, Double> before, Map<String, Double> after, String series) {
    assertThat(after).containsKey(series);
    return after.get(series) - before.getOrDefault(series, 0.0);
  }

  private static HttpResponse<String> get(OpsEndpoint endpoint, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + endpoint.actualPort() + path);
    return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

}
