package dev.ferry.bench;

import dev.ferry.protocol.net.LoopbackPorts;
import dev.ferry.protocol.bus.TokenKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;


/**
 * Issue 5's benchmark, {@code bench/run cluster}: one large verified upload and download through
 * the one-JVM server and through a cluster of separate processes (auth and quota, storage, and
 * the gateway, on loopback) in the same run; then many clients at once through that cluster with
 * one storage node and with two. TLS on, as users run it.
 */
final class ClusterBench {

  /** What bin/ferry-server gives the JVM, so that Hazelcast reaches the internals it wants. */
  private static final List<String> HAZELCAST_OPENS = List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens", "java.management/sun.management=ALL-UNNAMED", "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private final Path serverJar;
  private final long bigMiB;
  private final long warmupMiB;
  private final int clients;
  private final List<String> jvmOptions;
  private Path[] tokenKeys;

  ClusterBench(Path serverJar, long bigMiB, long warmupMiB, int clients, List<String> jvmOptions) {
    this.serverJar = serverJar;
    this.bigMiB = bigMiB;
    this.warmupMiB = warmupMiB;
    this.clients = clients;
    this.jvmOptions = jvmOptions;
  }

  /** Measures, keeping its files in {@code work}. */
  void run(Path work) throws Exception {
    Path source = Transfers.randomFile(work, "big.bin", bigMiB << 20);
    String sha = Transfers.sha256(source);
    double[] oneJvm;
    try (ServerUnderTest server = ServerUnderTest.start(serverJar, work.resolve("one-jvm"), env(Map.of()), jvm())) {
      Bench.addUsers(server, 1);
      oneJvm = bigTransfer(server.port, work, source, sha);
    }
    System.out.printf("cluster: one JVM, %d MiB: upload %.0f MB/s, download %.0f MB/s, both verified%n", bigMiB, oneJvm[0], oneJvm[1]);

    Path data = work.resolve("cluster");
    List<Integer> ports = List.of(freePort(), freePort(), freePort(), freePort());
    String members = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    List<ServerUnderTest> processes = new ArrayList<>();
    try {
      processes.add(member(data, members, ports.get(0), "auth,quota", "auth-quota"));
      processes.add(member(data, members, ports.get(1), "storage", "storage-1"));
      ServerUnderTest gateway = member(data, members, ports.get(2), "gateway", "gateway");
      processes.add(gateway);
      Bench.addUsers(gateway, 1);
      double[] clustered = bigTransfer(gateway.port, work, source, sha);
      System.out.printf("cluster: gateway, storage, auth+quota in separate JVMs, %d MiB: upload %.0f MB/s (%.2f of one JVM), "
          + "download %.0f MB/s (%.2f of one JVM), both verified%n",
        bigMiB, clustered[0], clustered[0] / oneJvm[0], clustered[1], clustered[1] / oneJvm[1]);
      if (clients > 0) {
        double one = manyClients(gateway.port, work, "one", 16L << 20);
        System.out.printf("cluster: %d clients at once, each 16 MiB up then down, 1 storage node: %.0f MB/s aggregate%n", clients, one);
        processes.add(member(data, members, ports.get(3), "storage", "storage-2"));
        // The first node is warm from the runs before; the second gets an unmeasured round.
        manyClients(gateway.port, work, "warm", 4L << 20);
        double two = manyClients(gateway.port, work, "two", 16L << 20);
        System.out.printf("cluster: %d clients at once, each 16 MiB up then down, 2 storage nodes: %.0f MB/s aggregate (%.2f of one node)%n",
          clients, two, two / one);
      }
    } finally {
      for (int i = processes.size() - 1; i >= 0; i--) {
        processes.get(i).close();
      }
    }
  }

  /** Upload then download of {@code source} (after the warm-up, if any); answers {up, down} in MB/s. */
  private double[] bigTransfer(int port, Path work, Path source, String sha) throws Exception {
    try (BenchClient c = new BenchClient(port)) {
      Bench.login(c, "u0", "bench-pass-0", "user");
      if (warmupMiB > 0) {
        Path warm = Transfers.randomFile(work, "warmup.bin", warmupMiB << 20);
        Transfers.upload(c, warm, "/home/u0", Transfers.sha256(warm));
        Transfers.download(c, "/home/u0/warmup.bin", work.resolve("warmup-back.bin"));
        Files.delete(work.resolve("warmup-back.bin"));
      }
      long size = Files.size(source);
      long t0 = System.nanoTime();
      Transfers.upload(c, source, "/home/u0", sha);
      double up = size / 1e6 / ((System.nanoTime() - t0) / 1e9);
      Path back = work.resolve("back.bin");
      t0 = System.nanoTime();
      Transfers.download(c, "/home/u0/big.bin", back);
      double down = size / 1e6 / ((System.nanoTime() - t0) / 1e9);
      Files.delete(back);
      return new double[] {up, down};
    }
  }

  /** {@code clients} sessions at once, each {@code each} bytes up then down, verified; answers the aggregate MB/s. */
  private double manyClients(int port, Path work, String round, long each) throws Exception {
    Path source = Transfers.randomFile(work, "each-" + round + ".bin", each);
    double seconds = Transfers.manyClients(port, work, round, clients, source);
    return 2.0 * clients * each / 1e6 / seconds;
  }

  /** The session-token key files: the public key for every member, the private one for auth's only. */
  private Map<String, String> tokenKeys(Path dir, boolean auth) throws IOException {
    if (tokenKeys == null) {
      Files.createDirectories(dir);
      String[] pair = TokenKeys.generate();
      tokenKeys = new Path[] {Files.writeString(dir.resolve("token-private.pem"), pair[0]),
        Files.writeString(dir.resolve("token-public.pem"), pair[1])};
    }
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_TOKEN_PUBLIC_KEY_PATH", tokenKeys[1].toString());
    if (auth) {
      env.put("FERRY_TOKEN_PRIVATE_KEY_PATH", tokenKeys[0].toString());
    }
    return env;
  }

  private ServerUnderTest member(Path data, String members, int clusterPort, String services, String name) throws Exception {
    return member(data, members, clusterPort, services, name, Map.of());
  }

  /**
   * A cluster member running {@code services} on the data directory {@code data}, with the
   * cluster certificate and token keys of this bench and the settings {@code extra} on top.
   */
  ServerUnderTest member(Path data, String members, int clusterPort, String services, String name, Map<String, String> extra)
    throws Exception {
    Map<String, String> env = new HashMap<>(clusterCertificates(data.resolveSibling("cluster-tls"), name));
    env.putAll(tokenKeys(data.resolveSibling("keys"), services.contains("auth")));
    env.put("FERRY_CLUSTER_MEMBERS", members);
    env.put("FERRY_CLUSTER_PORT", Integer.toString(clusterPort));
    env.put("FERRY_EVENT_BUS_PORT", "0");
    env.putAll(extra);
    return ServerUnderTest.start(serverJar, data, env(env), jvm(), List.of("--cluster", "--services", services),
      data.resolveSibling(name + ".log"));
  }

  /**
   * A certificate of the cluster CA in {@code dir} for member {@code name}, made as an operator
   * makes it ({@code ferry-server --cluster-certs}), as the settings that name it.
   */
  private Map<String, String> clusterCertificates(Path dir, String name) throws Exception {
    Process issue = new ProcessBuilder(ServerUnderTest.javaBin(), "-jar", serverJar.toString(), "--cluster-certs", dir.toString(), name)
      .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!issue.waitFor(2, TimeUnit.MINUTES) || issue.exitValue() != 0) {
      issue.destroyForcibly();
      throw new IOException("ferry-server --cluster-certs " + dir + " " + name + " failed");
    }
    Path absolute = dir.toAbsolutePath();
    return Map.of("FERRY_CLUSTER_TLS_CERT_PATH", absolute.resolve(name + ".crt").toString(),
      "FERRY_CLUSTER_TLS_KEY_PATH", absolute.resolve(name + ".key").toString(),
      "FERRY_CLUSTER_TLS_CA_PATH", absolute.resolve("ca.crt").toString(),
      "FERRY_CLUSTER_SECRET_PATH", absolute.resolve("cluster.secret").toString());
  }

  private static Map<String, String> env(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.put("FERRY_PBKDF2_ITERATIONS", "1000");
    env.put("FERRY_HTTP_PORT", "-1"); // several processes on one host: no ops port to collide
    return env;
  }

  private List<String> jvm() {
    List<String> all = new ArrayList<>(HAZELCAST_OPENS);
    all.addAll(jvmOptions);
    return all;
  }

  static int freePort() throws IOException {
    return LoopbackPorts.reservable();
  }
}
