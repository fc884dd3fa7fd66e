package dev.ferry.server;

import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.StorageApi;
import dev.ferry.protocol.bus.TransferApi;
import dev.ferry.protocol.net.LoopbackPorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ferry.server.Futures.await;
import static dev.ferry.server.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * maxHandlesPerAccount holds across storage nodes, on a cluster of real processes on loopback:
 * the services with one storage node, a second storage-only process on the same data directory,
 * and this JVM as a member that opens transfers on the shared storage address, which spreads them
 * over both nodes. A closed handle gives its slot back at once; the handles of a node that is
 * killed stop counting once their leases run out. maxPartialsPerAccount, counted on the shared
 * disk, and maxEntriesPerAccount, counted in the cluster, hold across the nodes too.
 */
class ClusterHandleLimitsTest {

  private static final String ADMIN_PASSWORD = "handles-admin-1";
  private static final int PER_ACCOUNT = 6;
  private static final int PARTIALS = 3;
  private static final int ENTRIES = 8;
  private static final Pattern NODE = Pattern.compile("storage-service serving \\S+ as node (\\S+)");

  @TempDir
  Path work;

  @Test
  void anAccountHoldsItsHandlesAndEntriesOnAllStorageNodesTogether() throws Exception {
    int servicesPort = LoopbackPorts.reservable();
    int storagePort = LoopbackPorts.reservable();
    int testerPort = LoopbackPorts.reservable();
    String members = "127.0.0.1:" + servicesPort + ",127.0.0.1:" + storagePort + ",127.0.0.1:" + testerPort;
    List<ServerProcess> running = new ArrayList<>();
    Vertx tester = null;
    try {
      running.add(ServerProcess.launch(work, env(members, servicesPort, true), ServerProcess.JVM_OPTIONS,
        "--cluster", "--services", "auth,quota,storage").awaitStarted());
      ServerProcess second = ServerProcess.launch(work, env(members, storagePort, false), ServerProcess.JVM_OPTIONS,
        "--cluster", "--services", "storage").awaitStarted();
      running.add(second);
      String secondNode = nodeOf(second);
      Files.writeString(work.resolve("data/files/shared.txt"), "one file, many readers");

      ClusterCertificates.issue(work.resolve("cluster-tls"), "tester");
      tester = HazelcastCluster.join(HazelcastCluster.config("127.0.0.1", testerPort, List.of(members.split(","))),
        ClusterCredentials.load(ClusterCertificates.settings(work.resolve("cluster-tls"), "tester")), "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      String token = await(new BusClient(tester, Addresses.AUTH).request(AuthApi.LOGIN, null, new JsonObject()
        .put(AuthApi.ACCOUNT, "admin").put(AuthApi.PASSWORD, ADMIN_PASSWORD).put(AuthApi.ROLE, "admin")
        .put(AuthApi.CLIENT_ADDRESS, "127.0.0.1"))).getString(AuthApi.TOKEN);
      BusClient storage = new BusClient(tester, Addresses.STORAGE);

      // Partial uploads are counted on the shared disk: the account's most, over both nodes.
      List<JsonObject> uploads = new ArrayList<>();
      for (int i = 0; i < PARTIALS; i++) {
        uploads.add(await(storage.request(TransferApi.OPEN_WRITE, token, newUpload("p" + i + ".bin"))));
      }
      assertThat(uploads.stream().map(opened -> opened.getString(TransferApi.NODE)).distinct()).as("uploads on both nodes").hasSize(2);
      assertThat(failureOf(storage.request(TransferApi.OPEN_WRITE, token, newUpload("one-more.bin")))).isEqualTo(Failure.BUSY);
      for (JsonObject upload : uploads) {
        await(close(tester, upload, token)); // nothing stored: the partial goes too
      }

      // Entries are counted in the cluster: concurrent mkdirs over both nodes stop at the limit.
      await(storage.request(StorageApi.CREATE_HOME, token, new JsonObject().put(StorageApi.ACCOUNT, "alice")));
      List<Future<Object>> mkdirs = new ArrayList<>();
      for (int i = 0; i < 3 * ENTRIES; i++) {
        mkdirs.add(failureOrNull(storage.request(StorageApi.MKDIR, token, new JsonObject().put(StorageApi.PATH, "/home/alice/d" + i))));
      }
      List<Object> outcomes = await(Future.join(mkdirs)).list();
      assertThat(outcomes.stream().filter(outcome -> outcome == null).count()).as("mkdirs made").isEqualTo(ENTRIES);
      assertThat(outcomes).filteredOn(outcome -> outcome != null).containsOnly(Failure.TOO_MANY_ENTRIES);
      List<Path> madeOnDisk;
      try (var listed = Files.list(work.resolve("data/files/home/alice"))) {
        madeOnDisk = listed.toList();
      }
      assertThat(madeOnDisk).hasSize(ENTRIES);
      String made = madeOnDisk.get(0).getFileName().toString();
      await(storage.request(StorageApi.RM, token, new JsonObject().put(StorageApi.PATH, "/home/alice/" + made)));
      List<Object> after = await(Future.join(
        failureOrNull(storage.request(StorageApi.MKDIR, token, new JsonObject().put(StorageApi.PATH, "/home/alice/e1"))),
        failureOrNull(storage.request(StorageApi.MKDIR, token, new JsonObject().put(StorageApi.PATH, "/home/alice/e2"))))).list();
      assertThat(after).as("one room made by a removal, on whichever node").containsExactlyInAnyOrder(null, Failure.TOO_MANY_ENTRIES);

      // Opens until refused: the account's share, spread over both nodes, and not one more.
      List<JsonObject> open = new ArrayList<>();
      Failure refused = null;
      while (refused == null && open.size() <= 2 * PER_ACCOUNT) {
        try {
          open.add(await(storage.request(TransferApi.OPEN_READ, token, openShared())));
        } catch (ExecutionException e) {
          refused = Failure.of(e.getCause());
        }
      }
      assertThat(refused).isEqualTo(Failure.BUSY);
      assertThat(open).hasSize(PER_ACCOUNT);
      Set<String> nodes = new HashSet<>();
      open.forEach(opened -> nodes.add(opened.getString(TransferApi.NODE)));
      assertThat(nodes).as("handles on both storage nodes").hasSize(2).contains(secondNode);

      // A closed handle gives its slot back at once, to whichever node opens next.
      JsonObject first = open.remove(0);
      await(close(tester, first, token));
      open.add(await(storage.request(TransferApi.OPEN_READ, token, openShared())));
      assertThat(failureOf(storage.request(TransferApi.OPEN_READ, token, openShared()))).isEqualTo(Failure.BUSY);

      // The second node dies holding some of them: once their leases run out they stop counting.
      long onSecond = open.stream().filter(opened -> secondNode.equals(opened.getString(TransferApi.NODE))).count();
      assertThat(onSecond).isPositive();
      second.close();
      // A request routed to the dead node fails only at its timeout: a short one, tried again.
      BusClient retrying = new BusClient(tester, Addresses.STORAGE, 2_000);
      int regained = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (regained < onSecond && System.nanoTime() < deadline) {
        try {
          await(retrying.request(TransferApi.OPEN_READ, token, openShared()));
          regained++;
        } catch (ExecutionException e) {
          // BUSY while the dead node's leases last; a send to the dead node until it is seen gone
        }
      }
      assertThat(regained).as("slots regained from the killed node").isEqualTo(onSecond);
      assertThat(failureOf(storage.request(TransferApi.OPEN_READ, token, openShared()))).isEqualTo(Failure.BUSY);
    } catch (Exception | AssertionError e) {
      running.forEach(process -> System.err.println("--- process ---\n" + process.outputSoFar()));
      throw e;
    } finally {
      if (tester != null) {
        tester.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      running.forEach(ServerProcess::close);
    }
  }

  /** Null when {@code request} succeeds, else its failure. */
  private static Future<Object> failureOrNull(Future<?> request) {
    return request.transform(ar -> Future.succeededFuture(ar.succeeded() ? null : Failure.of(ar.cause())));
  }

  private static JsonObject newUpload(String name) {
    return new JsonObject().put(TransferApi.DIR, "/").put(TransferApi.NAME, name).put(TransferApi.SIZE, 10L)
      .put(TransferApi.SHA256, "").put(TransferApi.OVERWRITE, false);
  }

  private static JsonObject openShared() {
    return new JsonObject().put(TransferApi.PATH, "/shared.txt");
  }

  /** TransferApi CLOSE, sent to the node that holds the handle, as the gateway sends it. */
  private static Future<Object> close(Vertx vertx, JsonObject opened, String token) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(10_000)
      .addHeader(BusService.ACTION_HEADER, TransferApi.CLOSE).addHeader(TransferApi.HANDLE, opened.getString(TransferApi.HANDLE))
      .addHeader(BusService.TOKEN_HEADER, token);
    return vertx.eventBus().request(opened.getString(TransferApi.NODE), null, options).map(reply -> reply.body());
  }

  private static String nodeOf(ServerProcess process) {
    Matcher m = NODE.matcher(process.outputSoFar());
    assertThat(m.find()).as("the node's address in its output").isTrue();
    return m.group(1);
  }

  private Map<String, String> env(String members, int clusterPort, boolean auth) throws Exception {
    Map<String, String> env = ServerProcess.clusterMember(work.resolve("data"), work.resolve("keys"), members, clusterPort,
      auth, ADMIN_PASSWORD);
    env.put("FERRY_HTTP_PORT", "-1");
    env.put(Setting.MAX_HANDLES_PER_ACCOUNT.env(), Integer.toString(PER_ACCOUNT));
    env.put(Setting.HANDLE_LEASE_SECONDS.env(), "3");
    env.put(Setting.MAX_PARTIALS_PER_ACCOUNT.env(), Integer.toString(PARTIALS));
    env.put(Setting.MAX_ENTRIES_PER_ACCOUNT.env(), Integer.toString(ENTRIES));
    return env;
  }
}
