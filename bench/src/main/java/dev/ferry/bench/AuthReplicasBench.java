package dev.ferry.bench;

import dev.ferry.protocol.Replies;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * {@code bench/run replicas}: login throughput and latency through a cluster (gateway, quota and
 * storage, and the auth replicas, each a JVM of its own, TLS on) with the accounts in
 * {@code users.json} and one auth replica, the reference, then with them in PostgreSQL and one,
 * then two auth replicas, in the same run. Each client logs in to an account of its own on a new
 * connection every time; the latency is the login frame's, the TLS handshake excluded.
 */
final class AuthReplicasBench {

  /** Where the PostgreSQL configurations keep their accounts: a database its user owns. */
  record Database(String url, Path passwordFile) {
  }

  /** Unmeasured logins per client before each configuration's measured ones. */
  private static final int WARMUP_LOGINS = 5;

  private final ClusterBench cluster;
  private final Database database;
  private final int clients;
  private final int loginsPerClient;

  /** @param database null: the file store's reference alone */
  AuthReplicasBench(ClusterBench cluster, Database database, int clients, int loginsPerClient) {
    this.cluster = cluster;
    this.database = database;
    this.clients = clients;
    this.loginsPerClient = loginsPerClient;
  }

  void run(Path work) throws Exception {
    double[] reference = measure(work, "file store, 1 auth replica", Map.of(), 1);
    if (database == null) {
      System.out.println("replicas: no --database-url: the PostgreSQL configurations were not run");
      return;
    }
    Map<String, String> postgres = Map.of("FERRY_ACCOUNT_STORE", "postgres", "FERRY_DATABASE_URL", database.url(),
      "FERRY_DATABASE_PASSWORD_FILE", database.passwordFile().toAbsolutePath().toString());
    for (int replicas = 1; replicas <= 2; replicas++) {
      String label = "PostgreSQL, " + replicas + " auth replica" + (replicas == 1 ? "" : "s");
      double[] measured = measure(work, label, postgres, replicas);
      System.out.printf("replicas: %s: %.2f of the file store's logins/s, p99 %.2f of its p99%n",
        label, measured[0] / reference[0], measured[2] / reference[2]);
    }
  }

  /**
   * Starts a cluster with {@code replicas} auth processes on the account store {@code store}
   * (settings given to auth and quota only; none: the default file store), measures, stops it. Answers {logins/s, p50 ms, p99 ms}.
   */
  private double[] measure(Path work, String label, Map<String, String> store, int replicas) throws Exception {
    Path data = Files.createDirectories(work.resolve("replicas-" + label.replaceAll("[^a-zA-Z0-9]+", "-")));
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < replicas + 2; i++) {
      ports.add(ClusterBench.freePort());
    }
    String members = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    List<ServerUnderTest> processes = new ArrayList<>();
    try {
      Map<String, String> quotaStorage = new HashMap<>(store);
      processes.add(cluster.member(data, members, ports.get(0), "quota,storage", "quota-storage", quotaStorage));
      for (int i = 0; i < replicas; i++) {
        processes.add(cluster.member(data, members, ports.get(1 + i), "auth", "auth-" + (i + 1), store));
      }
      ServerUnderTest gateway = cluster.member(data, members, ports.get(replicas + 1), "gateway", "gateway", Map.of());
      processes.add(gateway);
      addUsers(gateway);
      loginRound(gateway.port, WARMUP_LOGINS);
      long t0 = System.nanoTime();
      long[] micros = loginRound(gateway.port, loginsPerClient);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double perSecond = micros.length / seconds;
      double p50 = percentile(micros, 50) / 1000.0;
      double p99 = percentile(micros, 99) / 1000.0;
      System.out.printf("replicas: %s: %d clients at once, %d logins each on new TLS connections: %.1f logins/s, "
        + "login p50 %.2f ms, p99 %.2f ms%n", label, clients, loginsPerClient, perSecond, p50, p99);
      return new double[] {perSecond, p50, p99};
    } finally {
      for (int i = processes.size() - 1; i >= 0; i--) {
        processes.get(i).close();
      }
    }
  }

  /** One account per client; those a database kept from an earlier configuration are there already. */
  private void addUsers(ServerUnderTest gateway) throws IOException {
    try (BenchClient admin = new BenchClient(gateway.port)) {
      Bench.expectLogin(admin.call("admin", ServerUnderTest.ADMIN_PASSWORD, "login", "admin"));
      for (int i = 0; i < clients; i++) {
        String reply = admin.call("", "", "useradd", "r" + i + "*bench-pass-" + i + "*user*0");
        if (!reply.equals("OK") && !reply.startsWith(Replies.ALREADY_EXISTS)) {
          throw new IOException("useradd answered " + reply);
        }
      }
    }
  }

  /** Every client logs in {@code each} times; answers the login latencies in microseconds, sorted. */
  private long[] loginRound(int port, int each) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<long[]>> done = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        String account = "r" + i;
        String password = "bench-pass-" + i;
        done.add(pool.submit(() -> {
          long[] micros = new long[each];
          for (int j = 0; j < each; j++) {
            try (BenchClient c = new BenchClient(port)) {
              long t0 = System.nanoTime();
              Bench.login(c, account, password, "user");
              micros[j] = (System.nanoTime() - t0) / 1000;
            }
          }
          return micros;
        }));
      }
      long[] all = new long[clients * each];
      int at = 0;
      for (Future<long[]> f : done) {
        long[] micros = f.get();
        System.arraycopy(micros, 0, all, at, micros.length);
        at += micros.length;
      }
      Arrays.sort(all);
      return all;
    } finally {
      pool.shutdown();
    }
  }

  private static long percentile(long[] sorted, int percentile) {
    return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)];
  }
}
