package dev.ferry.server;

import dev.ferry.auth.TestPostgres;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.net.LoopbackPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two auth-service replicas in JVMs of their own on one real PostgreSQL database, beside a process
 * with the gateway, quota and storage: one Hazelcast cluster of real processes on loopback. The
 * gateway's requests to auth alternate between the replicas (the event bus sends round-robin);
 * each replica's log shows which logins it decided, so a test can tell that both took part.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthReplicasProcessesTest {

  private static final String ADMIN_PASSWORD = "replicas-admin-1";
  /** Logins in a row: with two replicas taking turns, each decides half of them. */
  private static final int BOTH_REPLICAS = 4;

  @TempDir
  static Path work;

  private static final List<ServerProcess> running = new ArrayList<>();
  private static ServerProcess gateway;
  private static final ServerProcess[] auth = new ServerProcess[2];
  private static WireClient admin;

  @BeforeAll
  static void startCluster() throws Exception {
    TestPostgres postgres = TestPostgres.shared();
    Path passwordFile = Files.writeString(work.resolve("database-password"), TestPostgres.PASSWORD);
    Map<String, String> database = Map.of("FERRY_ACCOUNT_STORE", "postgres", "FERRY_DATABASE_URL", postgres.newDatabase(),
      "FERRY_DATABASE_PASSWORD_FILE", passwordFile.toString());
    int[] ports = {LoopbackPorts.reservable(), LoopbackPorts.reservable(), LoopbackPorts.reservable()};
    String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
    for (int i = 0; i < auth.length; i++) {
      auth[i] = ServerProcess.launch(work, member(members, ports[1 + i], true, database),
        ServerProcess.JVM_OPTIONS, "--cluster", "--services", "auth");
      running.add(auth[i]);
    }
    gateway = ServerProcess.launch(work, member(members, ports[0], false, database),
      ServerProcess.JVM_OPTIONS, "--cluster", "--services", "gateway,quota,storage");
    running.add(gateway);
    try {
      for (ServerProcess process : running) {
        process.awaitStarted();
      }
      admin = WireClient.login(gateway.port, "admin", ADMIN_PASSWORD, "admin");
    } catch (Exception | AssertionError e) {
      dumpOutput();
      throw e;
    }
  }

  private static Map<String, String> member(String members, int clusterPort, boolean auth, Map<String, String> database)
    throws Exception {
    Map<String, String> env = ServerProcess.clusterMember(work.resolve("data"), work.resolve("keys"), members, clusterPort, auth,
      ADMIN_PASSWORD);
    env.put("FERRY_HTTP_PORT", "-1");
    env.putAll(database);
    return env;
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (admin != null) {
      admin.close();
    }
    running.forEach(ServerProcess::close);
  }

  @Test
  @Order(1)
  void passwdThroughOneReplicaHoldsOnTheOtherAtOnce() throws Exception {
    try {
      assertThat(admin.call("useradd", "pia*pia-first-pass*user*0")).isEqualTo("OK");
      for (int i = 0; i < BOTH_REPLICAS; i++) {
        assertThat(login("pia", "pia-first-pass")).startsWith("1*");
      }
      assertThat(loggedInOn(0, "pia")).as("logins decided by the first replica").isPositive();
      assertThat(loggedInOn(1, "pia")).as("logins decided by the second replica").isPositive();
      int[] before = {loggedInOn(0, "pia"), loggedInOn(1, "pia")};

      assertThat(admin.call("passwd", "pia*pia-second-pass")).isEqualTo("OK");
      // At once: the old password, remembered by both replicas' credential caches, is refused by both.
      for (int i = 0; i < BOTH_REPLICAS; i++) {
        assertThat(loginFrom("127.0.0." + (10 + i), "pia", "pia-first-pass")).as("old password, try " + i).isEqualTo("2");
      }
      for (int i = 0; i < BOTH_REPLICAS; i++) {
        assertThat(login("pia", "pia-second-pass")).as("new password, try " + i).startsWith("1*");
      }
      assertThat(loggedInOn(0, "pia")).as("the first replica let the new password in").isGreaterThan(before[0]);
      assertThat(loggedInOn(1, "pia")).as("the second replica let the new password in").isGreaterThan(before[1]);
    } catch (Exception | AssertionError e) {
      dumpOutput();
      throw e;
    }
  }

  @Test
  @Order(2)
  void wrongGuessesSpreadOverBothReplicasLockTheAccountOnBoth() throws Exception {
    try {
      assertThat(admin.call("useradd", "quin*quin-right-pass*user*0")).isEqualTo("OK");
      // Five wrong guesses from one address, taking turns between the replicas: three on one, two
      // on the other, which would lock nothing were the counts each replica's own.
      for (int i = 0; i < 5; i++) {
        assertThat(loginFrom("127.0.0.20", "quin", "quin-wrong-" + i)).as("guess " + i).isEqualTo("2");
      }
      for (int i = 0; i < BOTH_REPLICAS; i++) {
        assertThat(loginFrom("127.0.0.20", "quin", "quin-right-pass")).as("the right password after the lockout").isEqualTo("9");
      }
      assertThat(refusedAsLockedOn(0, "quin")).as("the first replica refuses it").isPositive();
      assertThat(refusedAsLockedOn(1, "quin")).as("the second replica refuses it").isPositive();
      assertThat(admin.call("unlock", "quin")).isEqualTo("OK");
      for (int i = 0; i < BOTH_REPLICAS; i++) {
        assertThat(loginFrom("127.0.0.20", "quin", "quin-right-pass")).as("after unlock").startsWith("1*");
      }
    } catch (Exception | AssertionError e) {
      dumpOutput();
      throw e;
    }
  }

  /** Last: it leaves one replica. */
  @Test
  @Order(3)
  void everyLoginAfterAReplicaIsKilledSucceedsThroughTheOther() throws Exception {
    assertThat(admin.call("useradd", "rex*rex-pass-0001*user*0")).isEqualTo("OK");
    ExecutorService stream = Executors.newSingleThreadExecutor();
    AtomicBoolean killed = new AtomicBoolean();
    try {
      // Logins and admin commands one after another while the first replica dies.
      Future<List<String>> afterKill = stream.submit(() -> {
        List<String> logins = new ArrayList<>();
        try (WireClient streamAdmin = WireClient.login(gateway.port, "admin", ADMIN_PASSWORD, "admin")) {
          for (int i = 0; i < 200 && logins.size() < 12; i++) {
            boolean after = killed.get();
            String answer = login("rex", "rex-pass-0001");
            if (after) {
              logins.add(answer.startsWith("1*") ? "1" : answer);
            }
            // An admin command between logins: what it answers while a replica dies is not asserted.
            streamAdmin.call("setquota", "rex*" + (1_000_000 + i));
          }
        }
        return logins;
      });
      for (int i = 0; i < BOTH_REPLICAS; i++) {
        assertThat(login("rex", "rex-pass-0001")).startsWith("1*");
      }
      auth[0].kill();
      killed.set(true);
      assertThat(afterKill.get(3, TimeUnit.MINUTES)).as("every login begun after the kill").hasSize(12).containsOnly("1");
      // Admin commands go on through the replica left.
      assertThat(admin.call("passwd", "rex*rex-pass-0002")).isEqualTo("OK");
      assertThat(login("rex", "rex-pass-0002")).startsWith("1*");
    } catch (Exception | AssertionError e) {
      dumpOutput();
      throw e;
    } finally {
      stream.shutdownNow();
    }
  }

  private static String login(String account, String password) throws Exception {
    return loginFrom("127.0.0.1", account, password);
  }

  /** One login on a new connection from {@code address} (any of 127.0.0.0/8), the answer's data. */
  private static String loginFrom(String address, String account, String password) throws Exception {
    try (WireClient client = WireClient.connectFrom(address, gateway.port)) {
      return client.call(new Header(account, password, "login", "user")).data();
    }
  }

  private static int loggedInOn(int replica, String account) {
    return count(auth[replica].outputSoFar(), "account " + account + " logged in as ");
  }

  private static int refusedAsLockedOn(int replica, String account) {
    return count(auth[replica].outputSoFar(), "login of locked account " + account + " ");
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  private static void dumpOutput() {
    running.forEach(process -> System.err.println("--- process ---\n" + process.outputSoFar()));
  }
}
