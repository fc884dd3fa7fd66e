package dev.ferry.server;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.ChunkCodec;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.StorageApi;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.ferry.server.Futures.await;
import static dev.ferry.server.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5: "A request sent on the bus without a valid token, or with a token for another account,
 * is refused by storage and quota." Two Vert.x instances clustered on loopback: the first runs
 * the services, the second is a stray cluster member that sends requests of its own making to
 * them, as a faulty gateway could. Storage judges a path and a transfer handle by the token's
 * account alone.
 */
class ClusterTokenTest {

  @TempDir
  Path data;

  @Test
  void storageAndQuotaRefuseRequestsWithoutAValidTokenOrWithAnotherAccountsToken() throws Exception {
    try (LoopbackCluster cluster = new LoopbackCluster(2)) {
      ServerFixture server = ServerFixture.start(cluster.join(0), data, TokenKeyKit.config(data.resolve("keys")).put("cluster", true));
      server.addUser("alice", "alice-pass-1", 0);
      server.addUser("bob", "bob-pass-12", 0);
      Files.writeString(server.home("alice").resolve("secret.txt"), "alice's");
      Vertx stray = cluster.join(1);
      ChunkCodec.register(stray); // storage answers reads in this codec; a gateway registers it too

      String alice = TokenKeyKit.issue(stray, "alice", Role.USER);
      String bob = TokenKeyKit.issue(stray, "bob", Role.USER);
      String forged = TokenKeyKit.forged(stray, "alice", Role.ADMIN);
      BusClient storage = new BusClient(stray, Addresses.STORAGE);
      BusClient quota = new BusClient(stray, Addresses.QUOTA);
      JsonObject home = new JsonObject().put(StorageApi.PATH, "/home/alice");
      JsonObject account = new JsonObject().put(QuotaApi.ACCOUNT, "alice");

      assertThat(failureOf(storage.request(StorageApi.LIST, null, home))).isEqualTo(Failure.UNAUTHENTICATED);
      assertThat(failureOf(storage.request(StorageApi.LIST, forged, home))).isEqualTo(Failure.UNAUTHENTICATED);
      assertThat(failureOf(storage.request(StorageApi.LIST, bob, home))).isEqualTo(Failure.NO_PERMISSION);
      assertThat(await(storage.request(StorageApi.LIST, alice, home)).getJsonArray("entries").encode()).contains("secret.txt");

      assertThat(failureOf(quota.request(QuotaApi.GET, null, account))).isEqualTo(Failure.UNAUTHENTICATED);
      assertThat(failureOf(quota.request(QuotaApi.GET, forged, account))).isEqualTo(Failure.UNAUTHENTICATED);
      assertThat(failureOf(quota.request(QuotaApi.GET, bob, account))).isEqualTo(Failure.NO_PERMISSION);
      assertThat(failureOf(quota.request(QuotaApi.RESERVE, bob, account.copy().put(QuotaApi.BYTES, 1)))).isEqualTo(Failure.NO_PERMISSION);
      assertThat(await(quota.request(QuotaApi.GET, alice, account)).getLong(QuotaApi.USED)).isEqualTo(7);

      // A transfer handle: only the account that opened it may use it, whatever else the request says.
      JsonObject opened = await(storage.request(TransferApi.OPEN_READ, alice, new JsonObject().put(TransferApi.PATH, "/home/alice/secret.txt")));
      String node = opened.getString(TransferApi.NODE);
      String handle = opened.getString(TransferApi.HANDLE);
      assertThat(failureOf(read(stray, node, handle, null))).isEqualTo(Failure.UNAUTHENTICATED);
      assertThat(failureOf(read(stray, node, handle, forged))).isEqualTo(Failure.UNAUTHENTICATED);
      assertThat(failureOf(read(stray, node, handle, bob))).isEqualTo(Failure.NO_PERMISSION);
      assertThat(await(read(stray, node, handle, alice)).toString()).isEqualTo("alice's");
      server.close();
    }
  }

  /**
   * Issue 15: "userdel of a logged-in user ends their session within 5 s and a captured token is
   * refused right after"; the same for lock. The token is captured as a rogue member would: a
   * login of its own at auth-service with the user's password.
   */
  @Test
  void userdelAndLockEndTheSessionsAndVoidTheTokensOfTheAccount() throws Exception {
    try (LoopbackCluster cluster = new LoopbackCluster(2)) {
      ServerFixture server = ServerFixture.start(cluster.join(0), data, TokenKeyKit.config(data.resolve("keys")).put("cluster", true));
      server.addUser("carol", "carol-pass-1", 0);
      server.addUser("dave", "dave-pass-12", 0);
      Vertx stray = cluster.join(1);
      BusClient auth = new BusClient(stray, Addresses.AUTH);
      BusClient storage = new BusClient(stray, Addresses.STORAGE);
      ExecutorService watcher = Executors.newSingleThreadExecutor();
      try (WireClient admin = server.admin()) {
        for (String[] change : List.of(new String[] {"userdel", "carol", "carol-pass-1"}, new String[] {"lock", "dave", "dave-pass-12"})) {
          String account = change[1];
          WireClient session = WireClient.login(server.port(), account, change[2], "user");
          String captured = await(auth.request(AuthApi.LOGIN, null, new JsonObject().put(AuthApi.ACCOUNT, account)
            .put(AuthApi.PASSWORD, change[2]).put(AuthApi.ROLE, "user"))).getString(AuthApi.TOKEN);
          JsonObject home = new JsonObject().put(StorageApi.PATH, "/home/" + account);
          assertThat(await(storage.request(StorageApi.LIST, captured, home))).isNotNull();

          java.util.concurrent.Future<Boolean> closed = watcher.submit(session::closedByServer);
          assertThat(admin.call(change[0], account)).as(change[0]).isEqualTo("OK");
          assertThat(closed.get(5, TimeUnit.SECONDS)).as(change[0] + " ends the session").isTrue();
          session.close();
          assertThat(failureOf(storage.request(StorageApi.LIST, captured, home))).as(change[0]).isEqualTo(Failure.UNAUTHENTICATED);
          assertThat(failureOf(auth.request(AuthApi.RENEW, captured, new JsonObject()))).as(change[0]).isEqualTo(Failure.UNAUTHENTICATED);
        }
      } finally {
        watcher.shutdownNow();
        server.close();
      }
    }
  }

  @Test
  void aTokenSignedWithAnyOtherKeyIsRefusedByAuthToo() throws Exception {
    try (LoopbackCluster cluster = new LoopbackCluster(2)) {
      ServerFixture server = ServerFixture.start(cluster.join(0), data, TokenKeyKit.config(data.resolve("keys")).put("cluster", true));
      try {
        Vertx stray = cluster.join(1);
        BusClient auth = new BusClient(stray, Addresses.AUTH);
        String forged = TokenKeyKit.forged(stray, "admin", Role.ADMIN);
        assertThat(failureOf(auth.request(AuthApi.LIST, forged, new JsonObject()))).isEqualTo(Failure.UNAUTHENTICATED);
        assertThat(failureOf(auth.request(AuthApi.RENEW, forged, new JsonObject()))).isEqualTo(Failure.UNAUTHENTICATED);
      } finally {
        server.close();
      }
    }
  }

  private static Future<Buffer> read(Vertx vertx, String node, String handle, String token) {
    DeliveryOptions options = new DeliveryOptions().addHeader(BusService.ACTION_HEADER, TransferApi.READ)
      .addHeader(TransferApi.HANDLE, handle).addHeader(TransferApi.OFFSET, "0").addHeader(TransferApi.LENGTH, "100");
    if (token != null) {
      options.addHeader(BusService.TOKEN_HEADER, token);
    }
    return vertx.eventBus().<Buffer>request(node, null, options).map(Message::body);
  }
}
