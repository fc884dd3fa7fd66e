package dev.ferry.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench/run sessions}: the memory each idle logged-in session takes on one gateway, and a
 * separate user's {@code view} latency while they are all connected beside the same latency with
 * none, in the same run. The sessions are blocking TLS sockets the bench JVM holds without a
 * thread each: once logged in, nothing reads them until they are checked at the end.
 */
final class SessionsBench {

  /**
   * Sessions being opened at once. Each costs a TLS handshake on both sides and a password hash,
   * and a few at a time keep both cores busy without queueing logins at the server.
   */
  private static final int OPENING_AT_ONCE = 4;
  /** Sessions per account and per client address: under the gateway's defaults (64 and 100). */
  private static final int PER_ACCOUNT = 50;
  private static final int PER_ADDRESS = 50;
  /** Rounds of as many views as are measured, before the first measured one. */
  private static final int WARMUP_ROUNDS = 10;

  private final ServerUnderTest server;
  private final int sessions;
  private final int views;
  /** The accounts the sessions log in to, u0 to u(accounts - 1); u(accounts) is the user who views. */
  private final int accounts;

  SessionsBench(ServerUnderTest server, int sessions, int views) {
    this.server = server;
    this.sessions = sessions;
    this.views = views;
    this.accounts = Math.max(1, (sessions + PER_ACCOUNT - 1) / PER_ACCOUNT);
  }

  void run() throws Exception {
    Bench.addUsers(server, accounts + 1);
    String viewer = "u" + accounts;
    try (BenchClient alone = new BenchClient(server.port)) {
      Bench.expectLogin(alone.call(viewer, "bench-pass-" + accounts, "login", "user"));
      // Unmeasured: the server's JIT compiles the path first (after only as many views as are
      // measured, views alone were slower than beside 5,000 sessions later in the run).
      for (int i = 0; i < WARMUP_ROUNDS; i++) {
        viewLatencies(alone);
      }
      long[] without = viewLatencies(alone);
      long heapBefore = server.heapUsedAfterGc();
      long rssBefore = server.rss();
      BenchClient[] open = new BenchClient[sessions];
      try {
        double seconds;
        long peakRss;
        try (MemorySampler memory = new MemorySampler(server.pid())) {
          long t0 = System.nanoTime();
          openAll(open);
          seconds = (System.nanoTime() - t0) / 1e9;
          peakRss = memory.peakRss();
        }
        long heapAfter = server.heapUsedAfterGc();
        long rssAfter = server.rss();
        System.out.printf("sessions: %d idle logged-in sessions (%d accounts, %d client addresses, opened in %.0f s): "
            + "heap %.1f KiB per session (%.1f -> %.1f MiB after a full GC), RSS %.1f KiB per session (%.1f -> %.1f MiB, "
            + "peak %.1f MiB)%n", sessions, accounts, (sessions + PER_ADDRESS - 1) / PER_ADDRESS, seconds,
          (heapAfter - heapBefore) / 1024.0 / sessions, heapBefore / 1048576.0, heapAfter / 1048576.0,
          (rssAfter - rssBefore) / 1024.0 / sessions, rssBefore / 1048576.0, rssAfter / 1048576.0, peakRss / 1048576.0);
        long[] with = viewLatencies(alone);
        System.out.printf("sessions: view of another user, one at a time (n=%d each): alone p50 %.2f ms, p99 %.2f ms; "
            + "beside %d idle sessions p50 %.2f ms (%.2f of alone), p99 %.2f ms (%.2f of alone)%n",
          views, p(without, 50) / 1000.0, p(without, 99) / 1000.0, sessions, p(with, 50) / 1000.0,
          (double) p(with, 50) / p(without, 50), p(with, 99) / 1000.0, (double) p(with, 99) / p(without, 99));
        checkAllAnswer(open);
        System.out.printf("sessions: afterwards all %d sessions still answered pwd%n", sessions);
      } finally {
        for (BenchClient c : open) {
          if (c != null) {
            c.close();
          }
        }
      }
    }
  }

  /** {@link #views} views of the viewer's home, one after another; the microseconds each took, sorted. */
  private long[] viewLatencies(BenchClient viewer) throws IOException {
    long[] micros = new long[views];
    for (int i = 0; i < views; i++) {
      long t0 = System.nanoTime();
      String listing = viewer.call("", "", "view", "");
      micros[i] = (System.nanoTime() - t0) / 1000;
      if (!listing.startsWith("[")) {
        throw new IOException("view answered " + listing);
      }
    }
    Arrays.sort(micros);
    return micros;
  }

  private static long p(long[] sorted, int percentile) {
    return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)];
  }

  /**
   * Opens and logs in every session, {@link #OPENING_AT_ONCE} at a time; session {@code i} logs
   * in to account {@code i % accounts} from address {@code 127.1.x.y} number {@code i / PER_ADDRESS}.
   */
  private void openAll(BenchClient[] open) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger opened = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(OPENING_AT_ONCE);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < OPENING_AT_ONCE; t++) {
        done.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < open.length; i = next.getAndIncrement()) {
            BenchClient c = BenchClient.idleSession(server.port, clientAddress(i));
            open[i] = c;
            int account = i % accounts;
            Bench.login(c, "u" + account, "bench-pass-" + account, "user");
            int count = opened.incrementAndGet();
            if (count % 1000 == 0) {
              System.err.printf("sessions: %d open, server RSS %.0f MiB%n", count, server.rss() / 1048576.0);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          next.set(open.length); // the other threads stop at their next session
          throw new IOException("sessions: failed after " + opened.get() + " sessions were open (server " + server.state() + ")",
            e.getCause());
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  /** Every session answers {@code pwd}: the server held them all, none was closed meanwhile. */
  private void checkAllAnswer(BenchClient[] open) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(OPENING_AT_ONCE);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < OPENING_AT_ONCE; t++) {
        int first = t;
        done.add(pool.submit(() -> {
          for (int i = first; i < open.length; i += OPENING_AT_ONCE) {
            String home = open[i].call("", "", "pwd", "");
            if (!home.equals("/home/u" + i % accounts)) {
              throw new IOException("session " + i + ": pwd answered " + home);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** The {@code n}-th address of 127.1.0.0/16 (no .0 or .255 last byte); Linux accepts any of 127.0.0.0/8 locally. */
  private static InetAddress clientAddress(int session) throws UnknownHostException {
    int n = session / PER_ADDRESS;
    return InetAddress.getByAddress(new byte[] {127, 1, (byte) (n / 250), (byte) (n % 250 + 1)});
  }
}
