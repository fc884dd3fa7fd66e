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
  /** Accounts the many clients log in to in turn, so that none holds more sessions than a gateway allows one account. */
  private static final int CLIENT_ACCOUNTS = 4;
  /** Measured rounds of each client count on each server of the clients benchmark. */
  private static final int CLIENT_ROUNDS = 3;

  @Option(names = "--server-jar", required = true, description = "path of ferry-server.jar")
  private Path serverJar;

  @Option(names = "--sessions", defaultValue = "10000",
    description = "idle logged-in sessions the sessions benchmark holds open on one gateway (default ${DEFAULT-VALUE})")
  private int sessions;

  @Option(names = "--views", defaultValue = "200",
    description = "views measured for each latency of the sessions benchmark, with and without the idle sessions (default ${DEFAULT-VALUE})")
  private int views;

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

  @Option(names = "--server-jvm", description = "an option of the server JVMs (bench/run passes @server/jvm.options first), e.g. a JFR recording (repeatable)")
  private List<String> serverJvm = new ArrayList<>();

  @Option(names = "--server-env",
    description = "an extra FERRY_* setting of the servers of the sessions, transfers, clients and cli benchmarks, e.g. FERRY_TLS_ENGINE=jdk (repeatable)")
  private Map<String, String> serverEnv = new java.util.LinkedHashMap<>();

  @Option(names = "--clients", split = ",", defaultValue = "16,64",
    description = "client counts of the clients benchmark, each run with one gateway instance and with one per core (default ${DEFAULT-VALUE})")
  private List<Integer> manyClients;

  @Option(names = "--plain", negatable = true, defaultValue = "true", fallbackValue = "true",
    description = "also run the large transfers of the transfers and cli benchmarks without TLS (default ${DEFAULT-VALUE})")
  private boolean plain;

  @Option(names = "--cluster-clients", defaultValue = "32",
    description = "clients at once through the cluster with 1 and 2 storage nodes (default ${DEFAULT-VALUE}; 0 for none)")
  private int clusterClients;

  @Option(names = "--ferry", description = "path of the bin/ferry launcher the cli benchmark runs (bench/run passes it)")
  private Path ferry;

  @Option(names = "--cli-rounds", defaultValue = "3",
    description = "measured rounds of each transfer of the cli benchmark, the median counts (default ${DEFAULT-VALUE})")
  private int cliRounds;

  @Option(names = "--cli-commands", defaultValue = "200",
    description = "sequential one-shot bin/ferry ls (and curl) commands of the cli benchmark (default ${DEFAULT-VALUE})")
  private int cliCommands;

  @Option(names = "--cli-files", defaultValue = "64", description = "files moved at once by the cli benchmark (default ${DEFAULT-VALUE})")
  private int cliFiles;

  @Option(names = "--cli-file-size", defaultValue = "16", description = "MiB of each of those files (default ${DEFAULT-VALUE})")
  private int cliFileMiB;

  @Option(names = "--cli-jobs", defaultValue = "8",
    description = "transfers at once for those files: bin/ferry -j, curl --parallel-max (default ${DEFAULT-VALUE})")
  private int cliJobs;

  @Option(names = "--cli-reference", defaultValue = "auto",
    description = "what curl talks to in the cli benchmark: vsftpd, http (a server in the bench JVM) or auto, vsftpd "
      + "when installed (default ${DEFAULT-VALUE})")
  private String cliReference;

  @Option(names = "--database-url",
    description = "postgresql://USER@HOST:PORT/DB of a database USER owns, for the PostgreSQL runs of the replicas benchmark")
  private String databaseUrl;

  @Option(names = "--database-password-file", description = "a file holding the password of --database-url's user")
  private Path databasePasswordFile;

  @Option(names = "--replica-clients", defaultValue = "16",
    description = "clients logging in at once in the replicas benchmark (default ${DEFAULT-VALUE})")
  private int replicaClients;

  @Option(names = "--replica-logins", defaultValue = "50",
    description = "measured logins of each of those clients (default ${DEFAULT-VALUE})")
  private int replicaLogins;

  @Parameters(arity = "0..*",
    description = "benchmarks to run: logins, sessions, transfers, clients, cli, cluster, replicas (default: all but cluster and replicas)")
  private List<String> which = new ArrayList<>();

  /** Where every benchmark keeps its files; deleted at the end. */
  private Path work;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<String> run = which.isEmpty() ? List.of("logins", "sessions", "transfers", "clients", "cli") : which;
    for (String name : run) {
      if (!List.of("logins", "sessions", "transfers", "clients", "cli", "cluster", "replicas").contains(name)) {
        System.err.println("unknown benchmark " + name);
        return 2;
      }
    }
    // Several GiB of files and data directories: kept only while the numbers are made (the server logs go too).
    work = Files.createTempDirectory("ferry-bench");
    int failed = 0;
    try {
      for (String name : run) {
        try {
          switch (name) {
            case "logins" -> logins();
            case "sessions" -> sessions();
            case "transfers" -> transfers();
            case "clients" -> clients();
            case "cli" -> cli();
            case "replicas" -> replicas();
            default -> new ClusterBench(serverJar, bigMiB, warmupMiB(), clusterClients, heapAndJvmOptions())
              .run(Files.createDirectory(work.resolve("cluster")));
          }
        } catch (Exception e) {
          // One benchmark failing (a server out of heap, say) says something; the others still run.
          failed++;
          System.err.println(name + " failed:");
          e.printStackTrace();
        } finally {
          printServerLogs(name);
        }
      }
      return failed == 0 ? 0 : 1;
    } finally {
      Transfers.deleteTree(work);
    }
  }

  /**
   * The last warnings and errors of the server logs of benchmark {@code name}, before they are
   * deleted with the work directory: why a run failed, or what a server complained of meanwhile.
   */
  private void printServerLogs(String name) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(work)) {
      for (Path log : files.filter(f -> f.toString().endsWith(".log") && work.relativize(f).toString().startsWith(name))
        .sorted().toList()) {
        List<String> lines = Files.readAllLines(log).stream().filter(line -> !line.contains(" INFO ")).toList();
        if (!lines.isEmpty()) {
          System.err.println("--- last lines of " + work.relativize(log) + " but INFO ---");
          lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.err::println);
        }
      }
    }
  }

  /** Logins with the file store and PostgreSQL, one and two auth replicas: see {@link AuthReplicasBench}. */
  private void replicas() throws Exception {
    if ((databaseUrl == null) != (databasePasswordFile == null)) {
      throw new IllegalArgumentException("--database-url and --database-password-file go together");
    }
    AuthReplicasBench.Database database = databaseUrl == null ? null : new AuthReplicasBench.Database(databaseUrl, databasePasswordFile);
    new AuthReplicasBench(new ClusterBench(serverJar, bigMiB, 0, 0, heapAndJvmOptions()), database, replicaClients, replicaLogins)
      .run(Files.createDirectory(work.resolve("replicas")));
  }

  /** The real bin/ferry beside curl: see {@link CliBench}. */
  private void cli() throws Exception {
    if (ferry == null) {
      throw new IllegalArgumentException("the cli benchmark needs --ferry, the path of bin/ferry");
    }
    new CliBench(new CliBench.Settings(serverJar, ferry, heapAndJvmOptions(), serverEnv, bigMiB, cliFiles, cliFileMiB, cliJobs,
      cliCommands, cliRounds, plain, cliReference)).run(Files.createDirectory(work.resolve("cli")));
  }

  /**
   * Login cost with the production hash (PBKDF2-HMAC-SHA512, 210,000 iterations): first with the
   * credential cache off, every login a full verify, as the reference; then with it on (the
   * default), where the same password again is let in without one.
   */
  private void logins() throws Exception {
    double[] reference = null;
    for (String cacheSeconds : List.of("0", "300")) {
      Map<String, String> env = new java.util.HashMap<>(serverEnv);
      env.put("FERRY_CREDENTIAL_CACHE_SECONDS", cacheSeconds);
      String label = cacheSeconds.equals("0") ? "credential cache off" : "credential cache on";
      double[] measured = logins(work.resolve("logins-" + cacheSeconds), env, label);
      if (reference == null) {
        reference = measured;
      } else {
        System.out.printf("logins: with the credential cache, one at a time p50 %.2f of the time without it; "
          + "16 clients at once %.1f times the logins per second%n", measured[0] / reference[0], measured[1] / reference[1]);
      }
    }
  }

  /** Answers the one-at-a-time p50 in ms and the logins per second of 16 clients at once. */
  private double[] logins(Path data, Map<String, String> env, String label) throws Exception {
    try (ServerUnderTest server = ServerUnderTest.start(serverJar, data, env, heapAndJvmOptions())) {
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
      double p50 = micros[sequential / 2] / 1000.0;
      System.out.printf("logins (%s): one at a time, login frame to reply: p50 %.1f ms, p90 %.1f ms (n=%d, TLS handshake excluded)%n",
        label, p50, micros[sequential * 9 / 10] / 1000.0, sequential);
      int clients = 16;
      int perClient = 10;
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      long t0 = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        done.add(pool.submit(() -> {
          for (int j = 0; j < perClient; j++) {
            try (BenchClient c = new BenchClient(port)) {
              login(c, "u0", "bench-pass-0", "user");
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
      double perSecond = clients * perClient / seconds;
      System.out.printf("logins (%s): %d clients at once, %d logins each (with TLS handshake): %.1f logins/s, %.0f ms per login on average%n",
        label, clients, perClient, perSecond, seconds * 1000 / perClient);
      return new double[] {p50, perSecond};
    }
  }

  /**
   * Memory per idle logged-in session, and another user's view latency with and without them
   * (see {@link SessionsBench}). Accounts are hashed with 1,000 PBKDF2 iterations here so that
   * opening thousands of sessions takes minutes, not hours; the hash cost does not change what a
   * session holds.
   */
  private void sessions() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(serverEnv);
    env.put("FERRY_PBKDF2_ITERATIONS", "1000");
    try (ServerUnderTest server = ServerUnderTest.start(serverJar, work.resolve("sessions"), env, heapAndJvmOptions())) {
      new SessionsBench(server, sessions, views).run();
    }
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

  /**
   * Many clients at once, each moving 16 MiB up then down, against a gateway with one verticle
   * instance and against one with the default, one per core, in the same run. Both servers run
   * side by side, each warmed by one unmeasured round; each client count is measured on one then
   * on the other, {@link #CLIENT_ROUNDS} times, and the best round of each counts: on a shared
   * machine single rounds of two identical servers differed by a third. TLS on.
   */
  private void clients() throws Exception {
    Path work = Files.createDirectory(this.work.resolve("clients"));
    Path source = Transfers.randomFile(work, "each.bin", 16L << 20);
    Map<String, String> oneEnv = serverEnv(true);
    oneEnv.put("FERRY_GATEWAY_INSTANCES", "1");
    Map<String, String> perCoreEnv = serverEnv(true);
    perCoreEnv.remove("FERRY_GATEWAY_INSTANCES");
    try (ServerUnderTest one = ServerUnderTest.start(serverJar, work.resolve("one-instance"), oneEnv, heapAndJvmOptions());
         ServerUnderTest perCore = ServerUnderTest.start(serverJar, work.resolve("per-core"), perCoreEnv, heapAndJvmOptions())) {
      List<ServerUnderTest> servers = List.of(one, perCore);
      for (ServerUnderTest server : servers) {
        addUsers(server, CLIENT_ACCOUNTS);
        Transfers.manyClients(server.port, work, "warm-", 16, source, CLIENT_ACCOUNTS);
      }
      for (int clients : manyClients.stream().filter(n -> n > 0).toList()) {
        List<List<ClientsRound>> rounds = List.of(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < CLIENT_ROUNDS; round++) {
          for (int s = 0; s < servers.size(); s++) {
            rounds.get(s).add(clientsRound(servers.get(s), work, source, clients));
          }
        }
        ClientsRound oneBest = printBest(clients, "1 gateway instance", rounds.get(0), null);
        printBest(clients, "one gateway instance per core (" + Runtime.getRuntime().availableProcessors() + " here)", rounds.get(1),
          oneBest.rate());
      }
    }
  }

  /** The aggregate MB/s of one round of many clients, and the server's peak memory in it. */
  private record ClientsRound(double rate, long peakHeap, long peakRss) {
  }

  private static ClientsRound clientsRound(ServerUnderTest server, Path work, Path source, int clients) throws Exception {
    try (MemorySampler memory = new MemorySampler(server.pid())) {
      double seconds = Transfers.manyClients(server.port, work, "c" + clients + "-", clients, source, CLIENT_ACCOUNTS);
      return new ClientsRound(2.0 * clients * Files.size(source) / 1e6 / seconds, memory.peakHeap(), memory.peakRss());
    }
  }

  /** Prints the best of {@code rounds} (with its ratio to {@code than} unless null) and answers it. */
  private static ClientsRound printBest(int clients, String instances, List<ClientsRound> rounds, Double than) {
    ClientsRound best = rounds.stream().max(java.util.Comparator.comparingDouble(ClientsRound::rate)).orElseThrow();
    String comparison = than == null ? "" : String.format(" (%.2f of 1 instance)", best.rate() / than);
    System.out.printf("clients: %d at once, each 16 MiB up then down, verified, %s: %.0f MB/s aggregate%s, best of %d (rounds: %s); "
        + "server peak heap %.0f MiB, peak RSS %.0f MiB over the rounds%n", clients, instances, best.rate(), comparison, rounds.size(),
      rounds.stream().map(r -> String.format("%.0f", r.rate())).collect(java.util.stream.Collectors.joining(", ")),
      rounds.stream().mapToLong(ClientsRound::peakHeap).max().orElseThrow() / 1048576.0,
      rounds.stream().mapToLong(ClientsRound::peakRss).max().orElseThrow() / 1048576.0);
    return best;
  }

  static void addUsers(ServerUnderTest server, int count) throws IOException {
    addUsers(server, count, true);
  }

  static void addUsers(ServerUnderTest server, int count, boolean tls) throws IOException {
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

  /**
   * Logs {@code c} in, trying again with a growing pause while the server answers BUSY*HASHING
   * (its password hashing queue is full, as when many clients log in at once), as the CLI does.
   */
  static void login(BenchClient c, String account, String password, String role) throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      String reply = c.call(account, password, "login", role);
      if (!reply.equals("BUSY*HASHING") || attempt == 10) {
        expectLogin(reply);
        return;
      }
      Thread.sleep(Math.min(2_000, 100L << attempt)); // a back-off the server asked for, not a synchronisation
    }
  }

  static void expectLogin(String reply) throws IOException {
    if (!reply.startsWith("1*")) {
      throw new IOException("login answered " + reply);
    }
  }
}
