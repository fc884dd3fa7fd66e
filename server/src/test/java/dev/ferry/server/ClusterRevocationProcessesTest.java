package dev.ferry.server;

import dev.ferry.protocol.net.LoopbackPorts;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.ferry.server.Futures.await;
import static dev.ferry.server.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only auth can mint identity, on a cluster of real processes on loopback: the services in one
 * process (auth holding the private key), a gateway-only process with the public key alone, and
 * this JVM as a third member that sends requests of its own, as a compromised gateway could.
 */
class ClusterRevocationProcessesTest {

  private static final String ADMIN_PASSWORD = "revocation-admin-1";

  @TempDir
  Path work;

  @Test
  void onlyAuthMintsAndRevocationEndsSessionsAtOnce() throws Exception {
    int servicesPort = freePort();
    int gatewayPort = freePort();
    int strayPort = freePort();
    String members = "127.0.0.1:" + servicesPort + ",127.0.0.1:" + gatewayPort + ",127.0.0.1:" + strayPort;

    // A process without auth refuses the signing key rather than carry it.
    ServerProcess withKey = ServerProcess.launch(work, env(members, gatewayPort, true), List.of(), "--cluster", "--services", "gateway");
    assertThat(withKey.awaitExit()).isEqualTo(1);
    assertThat(withKey.outputSoFar()).contains("runs no auth service: only auth-service may hold the key that signs session tokens");

    List<ServerProcess> running = new ArrayList<>();
    ExecutorService watcher = Executors.newSingleThreadExecutor();
    Vertx stray = null;
    try {
      running.add(ServerProcess.launch(work, env(members, servicesPort, true), ServerProcess.JVM_OPTIONS,
        "--cluster", "--services", "auth,quota,storage").awaitStarted());
      ServerProcess gateway = ServerProcess.launch(work, env(members, gatewayPort, false), ServerProcess.JVM_OPTIONS,
        "--cluster", "--services", "gateway").awaitStarted();
      running.add(gateway);
      // A member with the cluster's certificate but not auth's key: what a taken-over gateway has.
      Map<String, String> strayTls = ServerProcess.clusterCertificates(work);
      ClusterCredentials credentials = ClusterCredentials.load(new JsonObject()
        .put(Setting.CLUSTER_TLS_CERT_PATH.key(), strayTls.get(Setting.CLUSTER_TLS_CERT_PATH.env()))
        .put(Setting.CLUSTER_TLS_KEY_PATH.key(), strayTls.get(Setting.CLUSTER_TLS_KEY_PATH.env()))
        .put(Setting.CLUSTER_TLS_CA_PATH.key(), strayTls.get(Setting.CLUSTER_TLS_CA_PATH.env()))
        .put(Setting.CLUSTER_SECRET_PATH.key(), strayTls.get(Setting.CLUSTER_SECRET_PATH.env())));
      stray = HazelcastCluster.join(HazelcastCluster.config("127.0.0.1", strayPort, List.of(members.split(","))), credentials, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      BusClient auth = new BusClient(stray, Addresses.AUTH);
      BusClient storage = new BusClient(stray, Addresses.STORAGE);
      BusClient quota = new BusClient(stray, Addresses.QUOTA);

      // A token signed with any key but auth's: refused by storage, quota and auth alike.
      String forged = TokenKeyKit.forged(stray, "admin", Role.ADMIN);
      assertThat(failureOf(storage.request(StorageApi.LIST, forged, new JsonObject().put(StorageApi.PATH, "/")))).isEqualTo(Failure.UNAUTHENTICATED);
      assertThat(failureOf(quota.request(QuotaApi.GET, forged, new JsonObject().put(QuotaApi.ACCOUNT, "admin"))))
        .isEqualTo(Failure.UNAUTHENTICATED);
      assertThat(failureOf(auth.request(AuthApi.LIST, forged, new JsonObject()))).isEqualTo(Failure.UNAUTHENTICATED);

      try (WireClient admin = WireClient.login(gateway.port, "admin", ADMIN_PASSWORD, "admin")) {
        assertThat(admin.call("useradd", "erin*erin-pass-12*user*0")).isEqualTo("OK");
        assertThat(admin.call("useradd", "finn*finn-pass-12*user*0")).isEqualTo("OK");
        for (String[] change : List.of(new String[] {"userdel", "erin", "erin-pass-12"}, new String[] {"lock", "finn", "finn-pass-12"})) {
          String account = change[1];
          WireClient session = WireClient.login(gateway.port, account, change[2], "user");
          String captured = await(auth.request(AuthApi.LOGIN, null, new JsonObject().put(AuthApi.ACCOUNT, account)
            .put(AuthApi.PASSWORD, change[2]).put(AuthApi.ROLE, "user"))).getString(AuthApi.TOKEN);
          JsonObject home = new JsonObject().put(StorageApi.PATH, "/home/" + account);
          JsonObject usage = new JsonObject().put(QuotaApi.ACCOUNT, account);
          assertThat(await(storage.request(StorageApi.LIST, captured, home))).isNotNull();
          assertThat(await(quota.request(QuotaApi.GET, captured, usage))).isNotNull();

          java.util.concurrent.Future<Boolean> closed = watcher.submit(session::closedByServer);
          assertThat(admin.call(change[0], account)).as(change[0]).isEqualTo("OK");
          assertThat(closed.get(5, TimeUnit.SECONDS)).as(change[0] + " ends the session within 5 s").isTrue();
          session.close();
          assertThat(failureOf(storage.request(StorageApi.LIST, captured, home))).as(change[0]).isEqualTo(Failure.UNAUTHENTICATED);
          assertThat(failureOf(quota.request(QuotaApi.GET, captured, usage))).as(change[0]).isEqualTo(Failure.UNAUTHENTICATED);
          assertThat(failureOf(auth.request(AuthApi.RENEW, captured, new JsonObject()))).as(change[0]).isEqualTo(Failure.UNAUTHENTICATED);
        }
      }
    } catch (Exception | AssertionError e) {
      running.forEach(process -> System.err.println("--- process ---\n" + process.outputSoFar()));
      throw e;
    } finally {
      watcher.shutdownNow();
      if (stray != null) {
        stray.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      running.forEach(ServerProcess::close);
    }
  }

  private Map<String, String> env(String members, int clusterPort, boolean privateKey) throws IOException {
    Map<String, String> env = ServerProcess.clusterMember(work.resolve("data"), work.resolve("keys"), members, clusterPort,
      privateKey, ADMIN_PASSWORD);
    env.put("FERRY_HTTP_PORT", "-1");
    return env;
  }


  private static int freePort() throws IOException {
    return LoopbackPorts.reservable();
  }
}
