package dev.ferry.server;

import dev.ferry.protocol.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password guessing against a real {@code ferry-server} process: hashing runs on an executor of
 * its own, so it cannot starve file work; a full hashing queue answers {@code BUSY*HASHING} at
 * once; an address with too many failed logins answers {@code BUSY*RATE_LIMITED}. Guessers come
 * from distinct loopback addresses, as distinct clients would.
 */
class LoginLoadTest {

  private static final String ADMIN_PASSWORD = "admin-secret-1";
  private static final String ALICE_PASSWORD = "alice-pass-1";

  @TempDir
  Path work;

  private ServerProcess start(Map<String, String> settings) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("FERRY_PORT", "0", "FERRY_DATA", work.resolve("data").toString(),
      "FERRY_ADMIN_PASSWORD", ADMIN_PASSWORD));
    env.putAll(settings);
    ServerProcess server = ServerProcess.start(work, env);
    try (WireClient admin = WireClient.login(server.port, "admin", ADMIN_PASSWORD, "admin")) {
      assertThat(admin.call("useradd", "alice*" + ALICE_PASSWORD + "*user*1000000")).isEqualTo("OK");
    }
    return server;
  }

  /**
   * {@code guessers} connections, each from its own loopback address, that log in with wrong
   * passwords until stopped, for unknown accounts and (with {@code alsoAlice}) every other time
   * for alice, reconnecting whenever the server closes one after its third failure.
   */
  private static final class Guessers implements AutoCloseable {
    final AtomicBoolean stop = new AtomicBoolean();
    final Map<String, AtomicInteger> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private final ExecutorService threads;

    private final boolean alsoAlice;

    Guessers(int port, int guessers, int firstAddress, boolean alsoAlice) {
      this.alsoAlice = alsoAlice;
      threads = Executors.newFixedThreadPool(guessers);
      for (int g = 0; g < guessers; g++) {
        String address = "127.0.0." + (firstAddress + g);
        int id = g;
        threads.execute(() -> guess(port, address, id));
      }
    }

    private void guess(int port, String address, int id) {
      int n = 0;
      while (!stop.get()) {
        try (WireClient client = WireClient.connectFrom(address, port)) {
          while (!stop.get()) {
            n++;
            String account = alsoAlice && n % 2 == 0 ? "alice" : "ghost" + id + "x" + n;
            String reply = client.call(new Header(account, "guess-" + n, "login", "user")).data();
            answers.computeIfAbsent(reply, r -> new AtomicInteger()).incrementAndGet();
          }
        } catch (Exception e) {
          // Closed after its third failure (or stopped): connect again.
        }
      }
    }

    int count(String answer) {
      AtomicInteger count = answers.get(answer);
      return count == null ? 0 : count.get();
    }

    /** Answers that took a hash: unknown account, wrong password, locked. */
    int hashed() {
      return count("0") + count("2") + count("9");
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      threads.shutdown();
      // A guesser may wait for the answer of a hash queued behind the others.
      threads.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aLoggedInUsersViewStaysFastWhile24ConnectionsGuessPasswords() throws Exception {
    // The real iteration count: the flood costs what it costs in production.
    try (ServerProcess server = start(Map.of());
         WireClient alice = WireClient.login(server.port, "alice", ALICE_PASSWORD, "user")) {
      assertThat(alice.call("mkdir", "docs")).isEqualTo("OK");
      List<Long> nanos = new ArrayList<>();
      int hashedBefore;
      int hashedDuring;
      int rateLimited;
      double seconds;
      try (Guessers guessers = new Guessers(server.port, 24, 10, true)) {
        // Measure only once hashing is busy with the guesses.
        assertThat(Polling.within(Duration.ofSeconds(30), () -> guessers.hashed() >= 24)).as("guesses answered").isTrue();
        hashedBefore = guessers.hashed();
        // At least 5 s, and at least 10 guesses hashed meanwhile (a loaded machine hashes slower).
        long start = System.nanoTime();
        long least = start + TimeUnit.SECONDS.toNanos(5);
        long most = start + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < most && (System.nanoTime() < least || guessers.hashed() - hashedBefore < 10)) {
          long before = System.nanoTime();
          String listing = alice.call("view", "");
          nanos.add(System.nanoTime() - before);
          assertThat(listing).contains("\"docs\"");
        }
        hashedDuring = guessers.hashed() - hashedBefore;
        seconds = (System.nanoTime() - start) / 1e9;
        rateLimited = guessers.count("BUSY*RATE_LIMITED");
      }
      nanos.sort(null);
      long p50 = nanos.get(nanos.size() / 2) / 1_000_000;
      long p90 = nanos.get((int) Math.ceil(nanos.size() * 0.90) - 1) / 1_000_000;
      long p99 = nanos.get((int) Math.ceil(nanos.size() * 0.99) - 1) / 1_000_000;
      System.out.printf("view during the login flood: %d calls in %.1f s while %d guesses were hashed: p50 %d ms, p99 %d ms,"
        + " max %d ms%n", nanos.size(), seconds, hashedDuring, p50, p99, nanos.get(nanos.size() - 1) / 1_000_000);
      // Hashing went on all along: the flood was real, and no address was held back by its limit.
      assertThat(hashedDuring).as("guesses hashed during the measurement").isGreaterThanOrEqualTo(10);
      assertThat(rateLimited).as("guesses answered BUSY*RATE_LIMITED").isZero();
      // Loose for a shared two-core machine, yet far below what hashing beside storage costs.
      assertThat(p90).as("view p90, ms (p99 %d)", p99).isLessThan(100);
    }
  }

  @Test
  void aFullHashingQueueAnswersBusyHashingWhichNeitherCountsNorCloses() throws Exception {
    // One hashing thread and no waiting place: a hash running refuses every other. No credential
    // cache, so that alice's right password is hashed each time.
    try (ServerProcess server = start(Map.of("FERRY_HASH_THREADS", "1", "FERRY_HASH_QUEUE", "0",
           "FERRY_LOGIN_FAILURES_PER_ADDRESS", "0", "FERRY_CREDENTIAL_CACHE_SECONDS", "0"));
         WireClient admin = WireClient.login(server.port, "admin", ADMIN_PASSWORD, "admin");
         WireClient probe = WireClient.connectFrom("127.0.0.50", server.port)) {
      int busyLogins = 0;
      boolean busyUseradd = false;
      int added = 0;
      try (Guessers guessers = new Guessers(server.port, 4, 60, false)) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((busyLogins < 5 || !busyUseradd) && System.nanoTime() < deadline) {
          if (busyLogins < 5) {
            String reply = probe.call(new Header("alice", ALICE_PASSWORD, "login", "user")).data();
            assertThat(reply).matches("BUSY\\*HASHING|1\\*.*");
            busyLogins += reply.equals("BUSY*HASHING") ? 1 : 0;
          }
          if (!busyUseradd) {
            String reply = admin.call("useradd", "bob" + added + "*bob-pass-12*user*1000");
            assertThat(reply).isIn("OK", "BUSY");
            busyUseradd = reply.equals("BUSY");
            added += reply.equals("OK") ? 1 : 0;
          }
        }
      }
      assertThat(busyLogins).as("logins answered BUSY*HASHING").isEqualTo(5);
      assertThat(busyUseradd).as("a useradd answered BUSY").isTrue();
      // Five refusals on one connection, yet it is open (3 failed logins close one) and logs in.
      assertThat(probe.call(new Header("alice", ALICE_PASSWORD, "login", "user")).data()).startsWith("1*/home/alice*");
      assertThat(admin.call("useradd", "carol*carol-pass-1*user*1000")).isEqualTo("OK");
    }
  }

  @Test
  void anAddressWithTooManyFailedLoginsIsRateLimitedAndOthersAreNot() throws Exception {
    try (ServerProcess server = start(Map.of("FERRY_PBKDF2_ITERATIONS", "1000", "FERRY_LOGIN_FAILURES_PER_ADDRESS", "4"))) {
      String guesser = "127.0.0.70";
      List<String> failures = new ArrayList<>();
      for (int connection = 0; connection < 2; connection++) {
        try (WireClient client = WireClient.connectFrom(guesser, server.port)) {
          failures.add(client.call(new Header("ghost", "guess", "login", "user")).data());
          failures.add(client.call(new Header("alice", "wrong-guess", "login", "user")).data());
        }
      }
      assertThat(failures).containsExactly("0", "2", "0", "2");
      try (WireClient client = WireClient.connectFrom(guesser, server.port)) {
        // The right password too, and more times than close a connection for failed logins.
        for (int i = 0; i < 4; i++) {
          assertThat(client.call(new Header("alice", ALICE_PASSWORD, "login", "user")).data()).isEqualTo("BUSY*RATE_LIMITED");
        }
        assertThat(client.call("view", "")).isEqualTo("NOT_LOGGED_IN");
      }
      try (WireClient other = WireClient.connectFrom("127.0.0.71", server.port)) {
        assertThat(other.call(new Header("alice", ALICE_PASSWORD, "login", "user")).data()).startsWith("1*/home/alice*");
      }
    }
  }
}
