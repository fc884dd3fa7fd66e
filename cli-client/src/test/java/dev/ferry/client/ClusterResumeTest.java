package dev.ferry.client;

import dev.ferry.protocol.net.LoopbackPorts;
import dev.ferry.client.transfer.PartFile;
import dev.ferry.server.ServerProcess;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static dev.ferry.client.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5: "A real multi-process cluster in CI: gateway, auth, quota and two storage nodes as
 * separate JVMs on loopback; the CLI logs in, uploads and downloads through it; one storage node
 * is killed mid-download and the transfer completes by resume, checksum verified."
 *
 * <p>Each service is a real {@code ferry-server --cluster --services X} process ({@link
 * ServerProcess}); they find each other by the TCP-IP member list and share one data directory
 * and one token secret. The CLI runs in this JVM. A relay in front of the gateway ({@link
 * CuttingProxy}) holds the download still a few MiB in while the storage node that has the file
 * open ({@code /proc/<pid>/fd}) is SIGKILLed, so the node surely dies mid-transfer; the gateway
 * then fails the download ({@code download ABORTED*<n>}) and the CLI resumes through the node
 * that is left.
 */
@EnabledOnOs(OS.LINUX)
class ClusterResumeTest {

  /** Far more than the gateway's window (8 MiB) beyond the hold: the node is still reading when it dies. */
  private static final long SIZE = 48L * MIB + 7;
  private static final long HOLD_AT = 4L * MIB;

  @TempDir
  static Path work;
  private static final Map<String, ServerProcess> members = new LinkedHashMap<>();
  private static Vertx vertx;
  private static CuttingProxy proxy;

  @BeforeAll
  static void startCluster() throws Exception {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String name : List.of("auth", "quota", "storage-a", "storage-b", "gateway")) {
      ports.put(name, freePort());
    }
    String memberList = ports.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    Files.createDirectories(data());
    try {
      // The first member alone, then the others join it together.
      for (String name : ports.keySet()) {
        Map<String, String> env = ServerProcess.clusterMember(data(), work.resolve("token-keys"), memberList,
          ports.get(name), name.equals("auth"), Cli.ADMIN_PASSWORD);
        ServerProcess member = ServerProcess.launch(work, env, List.of(), "--cluster", "--services", name.replaceAll("-.*", ""));
        members.put(name, member);
        if (name.equals("auth")) {
          member.awaitStarted();
        }
      }
      for (ServerProcess member : members.values()) {
        member.awaitStarted();
      }
      vertx = Vertx.vertx();
      proxy = CuttingProxy.start(vertx, gateway().port()).await(60, TimeUnit.SECONDS);
      Cli.Result added = Cli.piped(Cli.env(Files.createDirectories(work.resolve("admin-config")), Cli.ADMIN_PASSWORD),
        Cli.ALICE_PASSWORD + "\n", "--admin", "--accept-new-certificate", "useradd", "admin@127.0.0.1:" + gateway().port(),
        "alice", "user", "500M");
      assertThat(added.exit()).as("useradd alice -> " + added).isEqualTo(ExitCode.OK);
    } catch (Exception | AssertionError e) {
      printOutputs();
      throw e;
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    try {
      if (proxy != null) {
        proxy.close().await(30, TimeUnit.SECONDS);
      }
      if (vertx != null) {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    } finally {
      members.values().forEach(ServerProcess::close);
    }
  }

  @Test
  void aDownloadWhoseStorageNodeIsKilledCompletesByResume() throws Exception {
    Path config = Files.createDirectories(work.resolve("alice-config"));
    Map<String, String> env = Cli.env(config, Cli.ALICE_PASSWORD);
    Path source = TestFiles.random(work.resolve("src/big.bin"), SIZE, 55);
    Path local = work.resolve("got/big.bin");
    Files.createDirectories(local.getParent());
    AtomicReference<String> killed = new AtomicReference<>();
    AtomicLong partAtKill = new AtomicLong(-1);
    try {
      Cli.Result put = Cli.run(env, "--accept-new-certificate", "put", "-q", source.toString(), "alice@127.0.0.1:" + gateway().port());
      assertThat(put.exit()).as("put -> " + put).isEqualTo(ExitCode.OK);
      Path stored = data().resolve("files/home/alice/big.bin").toRealPath();
      assertThat(stored).hasSameBinaryContentAs(source);

      proxy.holdOnce(CuttingProxy.Direction.TO_CLIENT, HOLD_AT, () -> vertx.executeBlocking(() -> {
        partAtKill.set(new PartFile(local).length());
        String holder = holderOf(stored);
        members.get(holder).kill();
        killed.set(holder);
        return holder;
      }, false));
      long startedAt = System.nanoTime();
      Cli.Result get = Cli.run(env, "--accept-new-certificate", "get", "--retries", "10",
        "alice@127.0.0.1:" + proxy.port() + ":big.bin", local.toString());
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
      System.out.println("ClusterResumeTest: killed " + killed.get() + " with " + partAtKill.get()
        + " bytes in the .part; get took " + tookMs + " ms; its stderr:\n" + get.err());

      assertThat(killed.get()).as("a storage node held the download open and was killed").isNotNull();
      assertThat(partAtKill.get()).as("the .part when the node died: mid-download").isBetween(0L, SIZE - 1);
      assertThat(get.exit()).as("get -> " + get).isEqualTo(ExitCode.OK);
      assertThat(get.err()).containsPattern("big\\.bin: the server failed the transfer \\(download ABORTED\\*\\d+\\); resuming");
      assertThat(TestFiles.sha256(local)).isEqualTo(TestFiles.sha256(source));
      assertThat(local).hasSameBinaryContentAs(source);
      assertThat(new PartFile(local).path()).doesNotExist();
    } catch (Exception | AssertionError e) {
      printOutputs();
      throw e;
    }
  }

  /** The name of the one storage process that has {@code file} open. */
  private static String holderOf(Path file) throws IOException {
    List<String> holders = new ArrayList<>();
    for (Map.Entry<String, ServerProcess> member : members.entrySet()) {
      if (member.getKey().startsWith("storage") && member.getValue().holds(file)) {
        holders.add(member.getKey());
      }
    }
    if (holders.size() != 1) {
      throw new IllegalStateException("expected one storage node holding " + file + ", found " + holders.size());
    }
    return holders.get(0);
  }

  private static ServerProcess gateway() {
    return members.get("gateway");
  }

  private static Path data() {
    return work.resolve("data");
  }

  private static void printOutputs() {
    members.forEach((name, m) -> System.err.println("--- " + name + " ---\n" + m.outputSoFar()));
  }

  private static int freePort() throws IOException {
    return LoopbackPorts.reservable();
  }
}
