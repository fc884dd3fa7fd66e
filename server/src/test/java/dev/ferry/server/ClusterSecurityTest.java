package dev.ferry.server;

import dev.ferry.protocol.net.LoopbackPorts;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.TokenKeys;
import com.hazelcast.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 15: "a rogue process that joins with {@code --services auth} and its own users.json today
 * answers half of all logins and receives their plaintext passwords; after this issue it cannot
 * join or receive anything, and 100% of logins are answered by the real auth", and "a rogue JVM
 * that joins without the cluster certificate gets nothing from the bus". Real processes on
 * loopback. Without the cluster secret Hazelcast refuses the rogues; one that learnt the cluster
 * name (it travels in clear) joins Hazelcast, and the TLS event bus and member attestation still
 * keep it from every message.
 */
class ClusterSecurityTest {

  private static final String ADMIN_PASSWORD = "real-admin-1";
  private static final String ROGUE_PASSWORD = "rogue-admin-1";
  private static final int LOGINS = 40;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path work;

  @Test
  void aRogueAuthProcessWithACaOfItsOwnReceivesNoLogin() throws Exception {
    int servicesPort = freePort();
    int gatewayPort = freePort();
    int roguePort = freePort();
    String members = "127.0.0.1:" + servicesPort + ",127.0.0.1:" + gatewayPort + ",127.0.0.1:" + roguePort;
    List<ServerProcess> running = new ArrayList<>();
    try {
      ServerProcess services = start(running, real(members, servicesPort, "auth,quota,storage"));
      ServerProcess gateway = start(running, real(members, gatewayPort, "gateway"));
      // A first login: the gateway now follows the auth address's registrations.
      WireClient.login(gateway.port, "admin", ADMIN_PASSWORD, "admin").close();

      // A member certificate of a CA the rogue made itself, its own data and admin password.
      Path rogueTls = work.resolve("rogue-tls");
      ClusterCertificates.issue(rogueTls, "auth");
      Map<String, String> env = base(members, roguePort, false);
      env.put("FERRY_DATA", work.resolve("rogue-data").toString());
      env.put("FERRY_ADMIN_PASSWORD", ROGUE_PASSWORD);
      // Token keys of its own: the rogue cannot have auth's private key.
      String[] roguePair = TokenKeys.generate();
      Files.createDirectories(work.resolve("rogue-keys"));
      env.put(Setting.TOKEN_PRIVATE_KEY_PATH.env(), Files.writeString(work.resolve("rogue-keys/private.pem"), roguePair[0]).toString());
      env.put(Setting.TOKEN_PUBLIC_KEY_PATH.env(), Files.writeString(work.resolve("rogue-keys/public.pem"), roguePair[1]).toString());
      env.putAll(ClusterCertificates.environment(rogueTls, "auth"));
      ServerProcess rogue = start(running, ServerProcess.launch(work, env, jvm(), "--cluster", "--services", "auth"));
      // Its own secret names another cluster: the real members refused it, it is alone.
      assertMembers(rogue, 1);
      assertMembers(services, 2);
      assertMembers(gateway, 2);

      for (int i = 0; i < LOGINS; i++) {
        try (WireClient client = WireClient.connect(gateway.port)) {
          assertThat(client.call(new Header("admin", ADMIN_PASSWORD, "login", "admin")).data()).as("login " + i).startsWith("1*");
        }
      }
      try (WireClient client = WireClient.connect(gateway.port)) {
        assertThat(client.call(new Header("admin", ROGUE_PASSWORD, "login", "admin")).data()).doesNotStartWith("1*");
      }
      assertThat(verifies(services)).as("the real auth verified passwords").isGreaterThan(0);
      assertThat(verifies(rogue)).as("password verifies in the rogue").isZero();
      assertMembers(rogue, 1);
      assertMembers(gateway, 2);
    } catch (Exception | AssertionError e) {
      running.forEach(p -> System.err.println("--- process ---\n" + p.outputSoFar()));
      throw e;
    } finally {
      running.forEach(ServerProcess::close);
    }
  }

  @Test
  void aRogueJvmWithoutTheClusterCertificateGetsNothingFromTheBus() throws Exception {
    int servicesPort = freePort();
    int eventBusPort = freePort();
    int roguePort = freePort();
    String members = "127.0.0.1:" + servicesPort + ",127.0.0.1:" + roguePort;
    List<ServerProcess> running = new ArrayList<>();
    try {
      Map<String, String> env = base(members, servicesPort, true);
      env.put("FERRY_EVENT_BUS_PORT", Integer.toString(eventBusPort));
      ServerProcess services = start(running, ServerProcess.launch(work, env, jvm(), "--cluster", "--services", "auth,quota,storage"));

      // Both cluster ports listen on clusterHost only: 127.0.0.2 reaches the same loopback
      // interface, and finds nothing there.
      for (int port : List.of(servicesPort, eventBusPort)) {
        assertThat(connects("127.0.0.1", port)).as("127.0.0.1:" + port).isTrue();
        assertThat(connects("127.0.0.2", port)).as("127.0.0.2:" + port).isFalse();
      }

      // The cluster's own material (ServerProcess made it there for the real member).
      ClusterCertificates.issue(work.resolve("cluster-tls"), "insider");
      ClusterCredentials insiderCredentials = ClusterCredentials.load(ClusterCertificates.settings(work.resolve("cluster-tls"), "insider"));

      Path rogueTls = work.resolve("rogue-tls");
      ClusterCertificates.issue(rogueTls, "rogue");
      ClusterCredentials selfMade = ClusterCredentials.load(ClusterCertificates.settings(rogueTls, "rogue"));
      // Without the secret: Hazelcast's default cluster name. With the name sniffed off the
      // network: a plaintext bus, and TLS with a certificate of another CA.
      List<Rogue> rogues = List.of(
        new Rogue(null, new EventBusOptions()),
        new Rogue(insiderCredentials.clusterName(), new EventBusOptions()),
        new Rogue(insiderCredentials.clusterName(), selfMade.secure(new EventBusOptions())));
      for (Rogue r : rogues) {
        EventBusOptions bus = r.bus();
        Config hazelcast = HazelcastCluster.config("127.0.0.1", roguePort, List.of(members.split(",")));
        if (r.clusterName() != null) {
          hazelcast.setClusterName(r.clusterName());
        }
        HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast);
        Vertx rogue = Vertx.builder()
          .with(new VertxOptions().setEventBusOptions(bus.setHost("127.0.0.1").setPort(0)))
          .withClusterManager(manager)
          .buildClustered().await(60, TimeUnit.SECONDS);
        try {
          int size = r.clusterName() == null ? 1 : 2;
          assertThat(manager.getNodes()).as("the rogue's cluster").hasSize(size);
          assertMembers(services, size);
          Future<JsonObject> login = new BusClient(rogue, Addresses.AUTH, 5_000).request(AuthApi.LOGIN, null, loginRequest());
          Throwable failure = login.transform(Future::succeededFuture).await(30, TimeUnit.SECONDS).cause();
          assertThat(failure).as("the rogue's request (" + (bus.isSsl() ? "TLS" : "plaintext") + ")").isNotNull();
          // Not an answer of the real auth: the request never reached it.
          if (failure instanceof ReplyException reply) {
            assertThat(reply.failureType()).isNotEqualTo(ReplyFailure.RECIPIENT_FAILURE);
          }
        } finally {
          rogue.close().await(30, TimeUnit.SECONDS);
        }
      }
      assertThat(verifies(services)).as("password verifies after the rogues' logins").isZero();

      // The same request from a member with a certificate of the cluster CA is answered.
      Vertx insider = HazelcastCluster.join(HazelcastCluster.config("127.0.0.1", roguePort, List.of(members.split(","))),
        insiderCredentials, "127.0.0.1").await(60, TimeUnit.SECONDS);
      try {
        JsonObject reply = new BusClient(insider, Addresses.AUTH, 30_000).request(AuthApi.LOGIN, null, loginRequest())
          .await(60, TimeUnit.SECONDS);
        assertThat(reply.getString(AuthApi.TOKEN)).isNotBlank();
      } finally {
        insider.close().await(30, TimeUnit.SECONDS);
      }
      assertThat(verifies(services)).isGreaterThan(0);
    } catch (Exception | AssertionError e) {
      running.forEach(p -> System.err.println("--- process ---\n" + p.outputSoFar()));
      throw e;
    } finally {
      running.forEach(ServerProcess::close);
    }
  }

  @Test
  void aMemberWithoutACertificateOfTheClusterCaDoesNotStart() throws Exception {
    Map<String, String> none = base("127.0.0.1:" + freePort(), freePort(), false);
    none.put(Setting.CLUSTER_TLS_CERT_PATH.env(), "");
    ServerProcess bare = ServerProcess.launch(work, none, jvm(), "--cluster", "--services", "storage");
    assertThat(bare.awaitExit()).isEqualTo(1);
    assertThat(bare.outputSoFar()).contains("a cluster member needs clusterTlsCertPath (FERRY_CLUSTER_TLS_CERT_PATH)");

    ClusterCertificates.issue(work.resolve("cluster-tls"), "real");
    ClusterCertificates.issue(work.resolve("other-tls"), "other");
    Map<String, String> foreign = base("127.0.0.1:" + freePort(), freePort(), false);
    foreign.putAll(ClusterCertificates.environment(work.resolve("other-tls"), "other"));
    foreign.put(Setting.CLUSTER_TLS_CA_PATH.env(), work.resolve("cluster-tls/ca.crt").toString());
    ServerProcess stranger = ServerProcess.launch(work, foreign, jvm(), "--cluster", "--services", "storage");
    assertThat(stranger.awaitExit()).isEqualTo(1);
    assertThat(stranger.outputSoFar()).contains("is not a valid certificate issued by the cluster CA");
  }

  private static JsonObject loginRequest() {
    return new JsonObject().put(AuthApi.ACCOUNT, "admin").put(AuthApi.PASSWORD, ADMIN_PASSWORD).put(AuthApi.ROLE, "admin")
      .put(AuthApi.CLIENT_ADDRESS, "127.0.0.1");
  }

  private ServerProcess real(String members, int clusterPort, String services) throws IOException {
    return ServerProcess.launch(work, base(members, clusterPort, services.contains("auth")), jvm(), "--cluster", "--services", services);
  }

  private static ServerProcess start(List<ServerProcess> running, ServerProcess process) throws InterruptedException {
    running.add(process);
    return process.awaitStarted();
  }

  private Map<String, String> base(String members, int clusterPort, boolean auth) throws IOException {
    return ServerProcess.clusterMember(work.resolve("data"), work.resolve("keys"), members, clusterPort, auth, ADMIN_PASSWORD);
  }

  private static List<String> jvm() {
    List<String> jvm = new ArrayList<>(ServerProcess.JVM_OPTIONS);
    jvm.add("-Xmx256m");
    return jvm;
  }

  /** A rogue cluster member: the Hazelcast cluster name it uses (null: Hazelcast's default) and its event bus. */
  private record Rogue(String clusterName, EventBusOptions bus) {
  }

  /**
   * The process sees {@code expected} Hazelcast members, itself included, within a few seconds
   * (a member that just left may take a moment to be gone from every list).
   */
  private static void assertMembers(ServerProcess process, int expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    double seen = metric(process, "ferry_cluster_members");
    while (seen != expected && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      seen = metric(process, "ferry_cluster_members");
    }
    assertThat(seen).as("Hazelcast members seen").isEqualTo(expected);
  }

  private static boolean connects(String host, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getByName(host), port), 5_000);
      return true;
    } catch (ConnectException e) {
      return false;
    }
  }

  private static double verifies(ServerProcess process) throws Exception {
    return metric(process, "ferry_password_verifies_total");
  }

  /** A counter from the process's ops port. */
  private static double metric(ServerProcess process, String name) throws Exception {
    String ops = process.output.stream().filter(l -> l.startsWith("ferry metrics and health on ")).findFirst().orElseThrow()
      .substring("ferry metrics and health on ".length());
    HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(ops + "/metrics")).build(),
      HttpResponse.BodyHandlers.ofString());
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    throw new AssertionError("no " + name + " in " + metrics.body());
  }

  private static int freePort() throws IOException {
    return LoopbackPorts.reservable();
  }
}
