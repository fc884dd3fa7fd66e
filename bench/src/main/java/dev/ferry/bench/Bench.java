package dev.ferry.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmarks against real ferry-server processes on loopback. Each prints plain numbers; the
 * issue notes quote them. Bounded in count and time: every loop has a fixed number of steps.
 */
@Command(name = "ferry-bench", mixinStandardHelpOptions = true, description = "Measures a real ferry-server on loopback.")
public final class Bench implements Callable<Integer> {

  /** Runs of each raw copy; the best is the limit. */
  private static final int ROUNDS = 5;

  @Option(names = "--server-jar", required = true, description = "path of ferry-server.jar")
  private Path serverJar;

  @Option(names = "--sessions", defaultValue = "1000", description = "idle sessions to hold open (default ${DEFAULT-VALUE})")
  private int sessions;

  @Option(names = "--server-heap", description = "-Xmx of the server JVMs, e.g. 256m, after the --server-jvm options (default: theirs)")
  private String serverHeap;

  @Option(names = "--big", defaultValue = "1024", description = "MiB of the single large transfer (default ${DEFAULT-VALUE})")
  private long bigMiB;

  /**
   * The size of the large transfer by default: after 512 MiB the first measured round of a 1 GiB
   * upload was the slowest in every run (292-463 MB/s; C2 took a quarter of the server's CPU in
   * it), after 1 GiB it is like the others.
   */
  @Option(names = "--warmup",
    description = "MiB moved up and down once before the large transfer is measured, so the server's JIT is warm, "
      + "as in a server that has run a while (default: the --big size; 0 measures a cold server)")
  private Long warmupMiB;

  @Option(names = "--server-jvm", description = "an extra option of the server JVM in the transfer benchmark, e.g. a JFR recording (repeatable)")
  private List<String> serverJvm = new ArrayList<>();

  @Option(names = "--server-env", description = "an extra FERRY_* setting of the server in the transfer benchmark, e.g. FERRY_TLS_ENGINE=jdk (repeatable)")
  private Map<String, String> serverEnv = new java.util.LinkedHashMap<>();

  @Option(names = "--clients", split = ",", defaultValue = "16,64",
    description = "client counts of the many-clients transfer runs (default ${DEFAULT-VALUE}; 0 for none)")
  private List<Integer> manyClients;

  @Option(names = "--plain", negatable = true, defaultValue = "true", fallbackValue = "true",
    description = "also run the large transfer without TLS (default ${DEFAULT-VALUE})")
  private boolean plain;

  @Option(names = "--cluster-clients", defaultValue = "32",
    description = "clients at once through the cluster with 1 and 2 storage nodes (default ${DEFAULT-VALUE}; 0 for none)")
  private int clusterClients;

  @Parameters(arity = "0..*", description = "benchmarks to run: logins, sessions, transfers, cluster (default: all but cluster)")
  private List<String> which = new ArrayList<>();

  /** Where every benchmark keeps its files; deleted at the end. */
  private Path work;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<String> run = which.isEmpty() ? List.of("logins", "sessions", "transfers") : which;
    // Several GiB of files and data directories: kept only while the numbers are made (the server logs go too).
    work = Files.createTempDirectory("ferry-bench");
    try {
      for (String name : run) {
        switch (name) {
          case "logins" -> logins();
          case "sessions" -> sessions();
          case "transfers" -> transfers();
          case "cluster" -> new ClusterBench(serverJar, bigMiB, warmupMiB(), clusterClients, heapAndJvmOptions())
            .run(Files.createDirectory(work.resolve("cluster")));
          default -> {
            System.err.println("unknown benchmark " + name);
            return 2;
          }
        }
      }
      return 0;
    } catch (Exception | Error e) {
      printServerLogs();
      throw e;
    } finally {
      Transfers.deleteTree(work);
    }
  }

  /**
   * The last warnings and errors of every server log, before they are deleted with the work
   * directory: why a run failed.
   */
  private void printServerLogs() throws IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(work)) {
      for (Path log : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        List<String> lines = Files.readAllLines(log).stream().filter(line -> !line.contains(" INFO ")).toList();
        System.err.println("--- last lines of " + work.relativize(log) + " but INFO ---");
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.err::println);
      }
    }
  }

  /** Login cost with the production hash (PBKDF2-HMAC-SHA512, 210,000 iterations). */
  private void logins() throws Exception {
    Path data = work.resolve("logins");
    try (ServerUnderTest server = ServerUnderTest.start(serverJar, data, Map.of(), heapAndJvmOptions())) {
      addUsers(server, 1);
      int port = server.port;
      try (BenchClient warm = new BenchClient(port)) {
        warm.call("u0", "bench-pass-0", "login", "user");
      }
      int sequential = 20;
      long[] micros = new long[sequential];
      for (int i = 0; i < sequential; i++) {
        try (BenchClient c = new BenchClient(port)) {
          long t0 = System.nanoTime();
          expectLogin(c.call("u0", "bench-pass-0", "login", "user"));
          micros[i] = (System.nanoTime() - t0) / 1000;
        }
      }
      Arrays.sort(micros);
      System.out.printf("logins: one at a time, login frame to reply: p50 %.1f ms, p90 %.1f ms (n=%d, TLS handshake excluded)%n",
        micros[sequential / 2] / 1000.0, micros[sequential * 9 / 10] / 1000.0, sequential);
      int clients = 16;
      int perClient = 10;
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      long t0 = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        done.add(pool.submit(() -> {
          for (int j = 0; j < perClient; j++) {
            try (BenchClient c = new BenchClient(port)) {
              expectLogin(c.call("u0", "bench-pass-0", "login", "user"));
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      pool.shutdown();
      System.out.printf("logins: %d clients at once, %d logins each (with TLS handshake): %.1f logins/s, %.0f ms per login on average%n",
        clients, perClient, clients * perClient / seconds, seconds * 1000 / perClient);
    }
  }

  /**
   * Memory per idle logged-in session, and view latency while they are all connected. Accounts
   * are hashed with 1,000 PBKDF2 iterations here so that opening 1,000 sessions takes seconds,
   * not minutes; the hash cost does not change what a session holds.
   */
  private void sessions() throws Exception {
    Path data = work.resolve("sessions");
    try (ServerUnderTest server = ServerUnderTest.start(serverJar, data, Map.of("FERRY_PBKDF2_ITERATIONS", "1000"), heapAndJvmOptions())) {
      int users = 10;
      addUsers(server, users);
      try (BenchClient warm = new BenchClient(server.port)) {
        warm.call("u0", "bench-pass-0", "login", "user");
        for (int i = 0; i < 200; i++) {
          warm.call("", "", "view", "");
        }
      }
      long heapBefore = server.heapUsedAfterGc();
      long rssBefore = server.rss();
      List<BenchClient> open = new ArrayList<>();
      try {
        for (int i = 0; i < sessions; i++) {
          BenchClient c = new BenchClient(server.port);
          open.add(c);
          expectLogin(c.call("u" + (i % users), "bench-pass-" + (i % users), "login", "user"));
        }
        long heapAfter = server.heapUsedAfterGc();
        long rssAfter = server.rss();
        System.out.printf("sessions: %d idle logged-in sessions: heap +%.1f KiB per session (%.1f -> %.1f MiB), RSS +%.1f KiB per session (%.1f -> %.1f MiB)%n",
          sessions, (heapAfter - heapBefore) / 1024.0 / sessions, heapBefore / 1048576.0, heapAfter / 1048576.0,
          (rssAfter - rssBefore) / 1024.0 / sessions, rssBefore / 1048576.0, rssAfter / 1048576.0);
        viewLatency(open);
      } finally {
        for (BenchClient c : open) {
          c.close();
        }
      }
    }
  }

  private void viewLatency(List<BenchClient> open) throws Exception {
    int threads = 4;
    int perThread = 1000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<long[]>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int offset = t;
      results.add(pool.submit(() -> {
        long[] micros = new long[perThread];
        for (int i = 0; i < perThread; i++) {
          // Each thread uses its own slice of the sessions, so no socket is shared.
          BenchClient c = open.get((offset + threads * i) % open.size());
          long t0 = System.nanoTime();
          String listing = c.call("", "", "view", "");
          micros[i] = (System.nanoTime() - t0) / 1000;
          if (!listing.startsWith("[")) {
            throw new IOException("view answered " + listing);
          }
        }
        return micros;
      }));
    }
    long[] all = new long[threads * perThread];
    for (int t = 0; t < threads; t++) {
      System.arraycopy(results.get(t).get(), 0, all, t * perThread, perThread);
    }
    pool.shutdown();
    Arrays.sort(all);
    System.out.printf("sessions: view while %d sessions are connected, %d clients at once: p50 %.2f ms, p99 %.2f ms (n=%d)%n",
      open.size(), threads, all[all.length / 2] / 1000.0, all[all.length * 99 / 100] / 1000.0, all.length);
  }

  /**
   * One large verified download and upload against the raw TCP limit measured in the same run,
   * with the server's peak memory; then many clients at once. TLS on, as users run it.
   */
  private void transfers() throws Exception {
    Path work = Files.createDirectory(this.work.resolve("transfers"));
    Path data = work.resolve("data");
    long big = bigMiB << 20;
    Path source = Transfers.randomFile(work, "big.bin", big);
    String sha = Transfers.sha256(source);
    double raw = Transfers.bestRawCopy(source, 8192, ROUNDS);
    double rawBig = Transfers.bestRawCopy(source, Transfers.CHUNK, ROUNDS);
    System.out.printf("transfers: raw TCP limit, disk to disk, %d MiB, best of %d: plain Java socket copy (8 KiB buffers, as "
      + "InputStream.transferTo) %.0f MB/s; with 1 MiB buffers %.0f MB/s%n", bigMiB, ROUNDS, raw, rawBig);
    List<String> jvmOptions = heapAndJvmOptions();
    for (boolean tls : plain ? new boolean[] {true, false} : new boolean[] {true}) {
      try (ServerUnderTest server = ServerUnderTest.start(serverJar, data.resolve(tls ? "tls" : "plain"),
        serverEnv(tls), jvmOptions)) {
        addUsers(server, 1, tls);
        try (BenchClient c = new BenchClient(server.port, tls); MemorySampler memory = new MemorySampler(server.pid())) {
          expectLogin(c.call("u0", "bench-pass-0", "login", "user"));
          if (warmupMiB() > 0) {
            warmUp(c, work);
          }
          // Best of ROUNDS, as the raw copy: a virtual machine's memory makes single rounds noisy
          // (see Transfers#touchPageCache).
          Round best = null;
          List<String> all = new ArrayList<>();
          for (int round = 1; round <= ROUNDS; round++) {
            Round r = measureRound(server, c, source, sha, work);
            all.add(String.format("%.0f/%.0f", r.up().rate(), r.down().rate()));
            best = best == null ? r : best.bestOf(r);
          }
          System.out.printf("transfers (%s): CPU seconds of the best rounds, upload: server %.1f, client %.1f in %.1f s; "
              + "download: server %.1f, client %.1f in %.1f s%n", tls ? "TLS" : "no TLS", best.up().serverCpu(),
            best.up().clientCpu(), big / 1e6 / best.up().rate(), best.down().serverCpu(), best.down().clientCpu(),
            big / 1e6 / best.down().rate());
          System.out.printf("transfers (%s): %d MiB, best of %d (rounds up/down MB/s: %s): upload %.0f MB/s (%.2f of raw, %.2f of the "
              + "1 MiB-buffer copy), download %.0f MB/s (%.2f of raw, %.2f of the 1 MiB-buffer copy), all verified; "
              + "server peak heap %.0f MiB, peak RSS %.0f MiB%n",
            tls ? "TLS" : "no TLS", bigMiB, ROUNDS, String.join(", ", all), best.up().rate(), best.up().rate() / raw,
            best.up().rate() / rawBig, best.down().rate(), best.down().rate() / raw, best.down().rate() / rawBig,
            memory.peakHeap() / 1048576.0, memory.peakRss() / 1048576.0);
        }
        if (tls) {
          for (int clients : manyClients) {
            if (clients > 0) {
              manyClients(server, work, clients);
            }
          }
        }
      }
    }
  }

  /** The rate (MB/s) of one measured transfer and the CPU seconds server and client spent on it. */
  private record Measured(double rate, double serverCpu, double clientCpu) {
  }

  /** One verified upload and download of the large file. */
  private record Round(Measured up, Measured down) {
    /** The faster upload and the faster download of the two. */
    Round bestOf(Round other) {
      return new Round(other.up.rate > up.rate ? other.up : up, other.down.rate > down.rate ? other.down : down);
    }
  }

  private Round measureRound(ServerUnderTest server, BenchClient c, Path source, String sha, Path work) throws Exception {
    long big = Files.size(source);
    Measured up = measure(server, work, big, "upload", () -> Transfers.upload(c, source, "/home/u0", sha));
    Path back = work.resolve("back.bin");
    Measured down = measure(server, work, big, "download", () -> Transfers.download(c, "/home/u0/" + source.getFileName(), back));
    Files.delete(back);
    return new Round(up, down);
  }

  /**
   * Times {@code transfer} of {@code bytes}. Just before, as before each raw copy, as much
   * page-cache memory as it writes is written and freed (see {@link Transfers#touchPageCache}).
   */
  private static Measured measure(ServerUnderTest server, Path work, long bytes, String phase,
                                  java.util.concurrent.Callable<?> transfer) throws Exception {
    Transfers.touchPageCache(work, bytes);
    // Progress on stderr, so that a profiler can be attached to one phase.
    System.err.println("transfers: measuring the " + phase);
    double serverCpu = server.cpuSeconds();
    double clientCpu = clientCpuSeconds();
    long t0 = System.nanoTime();
    transfer.call();
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.err.println("transfers: measured the " + phase);
    return new Measured(bytes / 1e6 / seconds, server.cpuSeconds() - serverCpu, clientCpuSeconds() - clientCpu);
  }

  private List<String> heapAndJvmOptions() {
    List<String> jvmOptions = new ArrayList<>(serverJvm);
    if (serverHeap != null) {
      jvmOptions.add("-Xmx" + serverHeap);
    }
    return jvmOptions;
  }

  private long warmupMiB() {
    return warmupMiB == null ? bigMiB : warmupMiB;
  }

  /** One transfer up and down, unmeasured: a long-running server has compiled its hot paths. */
  private void warmUp(BenchClient c, Path work) throws Exception {
    Path source = Transfers.randomFile(work, "warmup.bin", warmupMiB() << 20);
    Transfers.upload(c, source, "/home/u0", Transfers.sha256(source));
    Path back = work.resolve("warmup-back.bin");
    Transfers.download(c, "/home/u0/warmup.bin", back);
    Files.delete(back);
    Files.delete(source);
    c.call("", "", "rm", "/home/u0/warmup.bin");
  }

  private Map<String, String> serverEnv(boolean tls) {
    Map<String, String> env = new java.util.HashMap<>(serverEnv);
    env.put("FERRY_PBKDF2_ITERATIONS", "1000");
    env.put("FERRY_TLS", String.valueOf(tls));
    return env;
  }

  private static double clientCpuSeconds() {
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  private void manyClients(ServerUnderTest server, Path work, int clients) throws Exception {
    long each = 16L << 20;
    Path source = Transfers.randomFile(work, "each.bin", each);
    double seconds;
    try (MemorySampler memory = new MemorySampler(server.pid())) {
      seconds = Transfers.manyClients(server.port, work, "c" + clients + "-", clients, source);
      System.out.printf("transfers: %d clients at once, each 16 MiB up then down, verified: %.0f MB/s aggregate (%.1f s); "
          + "server peak heap %.0f MiB, peak RSS %.0f MiB%n",
        clients, 2.0 * clients * each / 1e6 / seconds, seconds, memory.peakHeap() / 1048576.0, memory.peakRss() / 1048576.0);
    }
  }

  static void addUsers(ServerUnderTest server, int count) throws IOException {
    addUsers(server, count, true);
  }

  private static void addUsers(ServerUnderTest server, int count, boolean tls) throws IOException {
    try (BenchClient admin = new BenchClient(server.port, tls)) {
      expectLogin(admin.call("admin", ServerUnderTest.ADMIN_PASSWORD, "login", "admin"));
      for (int i = 0; i < count; i++) {
        String reply = admin.call("", "", "useradd", "u" + i + "*bench-pass-" + i + "*user*0");
        if (!reply.equals("OK")) {
          throw new IOException("useradd answered " + reply);
        }
      }
    }
  }

  static void expectLogin(String reply) throws IOException {
    if (!reply.startsWith("1*")) {
      throw new IOException("login answered " + reply);
    }
  }
}
