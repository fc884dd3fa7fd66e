package dev.ferry.server;

import dev.ferry.protocol.Header;
import dev.ferry.protocol.net.LoopbackPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * Two auth-service replicas in JVMs of their own beside a process with the gateway, quota and
 * storage, one Hazelcast cluster of real processes on loopback: one replica killed (SIGKILL)
 * mid-way through a stream of logins leaves every later login to the other.
 */
class AuthReplicasProcessesTest {

  private static final String ADMIN_PASSWORD = "replicas-admin-1";

  @TempDir
  static Path work;

  private static final List<ServerProcess> running = new ArrayList<>();
  private static ServerProcess gateway;
  private static final ServerProcess[] auth = new ServerProcess[2];

  @BeforeAll
  static void startCluster() throws Exception {
    int[] ports = {LoopbackPorts.reservable(), LoopbackPorts.reservable(), LoopbackPorts.reservable()};
    String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
    for (int i = 0; i < auth.length; i++) {
      auth[i] = ServerProcess.launch(work, member(work.resolve("auth-" + i), members, ports[1 + i], true),
        ServerProcess.JVM_OPTIONS, "--cluster", "--services", "auth");
      running.add(auth[i]);
    }
    gateway = ServerProcess.launch(work, member(work.resolve("data"), members, ports[0], false),
      ServerProcess.JVM_OPTIONS, "--cluster", "--services", "gateway,quota,storage");
    running.add(gateway);
    try {
      for (ServerProcess process : running) {
        process.awaitStarted();
      }
    } catch (Exception | AssertionError e) {
      running.forEach(process -> System.err.println("--- process ---\n" + process.outputSoFar()));
      throw e;
    }
  }

  /** A cluster member on loopback; every auth replica creates the same admin on its first start. */
  private static Map<String, String> member(Path data, String members, int clusterPort, boolean auth) throws Exception {
    Map<String, String> env = ServerProcess.clusterMember(data, work.resolve("keys"), members, clusterPort, auth, ADMIN_PASSWORD);
    env.put("FERRY_HTTP_PORT", "-1");
    return env;
  }

  @AfterAll
  static void stopCluster() {
    running.forEach(ServerProcess::close);
  }

  @Test
  void everyLoginAfterAReplicaIsKilledSucceedsThroughTheOther() throws Exception {
    ExecutorService stream = Executors.newSingleThreadExecutor();
    AtomicBoolean killed = new AtomicBoolean();
    try {
      // Logins one after another, while the first replica dies: those begun after its death all succeed.
      Future<List<String>> afterKill = stream.submit(() -> {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 200 && answers.size() < 12; i++) {
          boolean after = killed.get();
          String answer = login();
          if (after) {
            answers.add(answer.startsWith("1*") ? "1" : answer);
          }
        }
        return answers;
      });
      for (int i = 0; i < 4; i++) {
        assertThat(login()).startsWith("1*");
      }
      auth[0].kill();
      killed.set(true);
      List<String> answers = afterKill.get(3, TimeUnit.MINUTES);
      assertThat(answers).hasSize(12).containsOnly("1");
    } catch (Exception | AssertionError e) {
      running.forEach(process -> System.err.println("--- process ---\n" + process.outputSoFar()));
      throw e;
    } finally {
      stream.shutdownNow();
    }
  }

  private static String login() throws Exception {
    try (WireClient client = WireClient.connect(gateway.port)) {
      return client.call(new Header("admin", ADMIN_PASSWORD, "login", "admin")).data();
    }
  }
}
