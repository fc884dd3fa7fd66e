package dev.ferry.server;

import dev.ferry.protocol.Header;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.ferry.server.WireTransfers.CHUNK;
import static dev.ferry.server.WireTransfers.random;
import static dev.ferry.server.WireTransfers.uploadData;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PROTOCOL.md s6 and issue 4 through a real server: reservations refuse what would pass a
 * limit, however many uploads race, and usage follows every change so that it always equals a
 * fresh recount of the disk.
 */
class QuotaEnforcementTest {

  private static final String PASSWORD = "quota-pass-1";
  private static final int FILE = CHUNK;

  @TempDir
  static Path data;
  static ServerFixture server;

  @BeforeAll
  static void start() throws Exception {
    server = ServerFixture.start(data, new JsonObject());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void twentyConcurrentUploadsOfOneUserWhoseQuotaFitsFive() throws Exception {
    server.addUser("racer", PASSWORD, 5L * FILE);
    List<String> answers = QuotaRace.race(20, i -> server.port(), "racer", PASSWORD, FILE);
    assertThat(answers).filteredOn(a -> a.startsWith("SUCCESS*")).hasSize(5);
    assertThat(answers).filteredOn(a -> a.startsWith("NOT_READY*QUOTA_EXCEEDED*")).hasSize(15);
    assertUsage("racer", 5L * FILE);
  }

  @Test
  void anUploadThatWouldPassTheLimitIsRefusedWithUsedAndLimit() throws Exception {
    server.addUser("tight", PASSWORD, 1000);
    try (WireClient client = WireClient.login(server.port(), "tight", PASSWORD, "user")) {
      assertThat(WireTransfers.upload(client, uploadData("", "a.bin", random(600, 1), false), random(600, 1))).startsWith("SUCCESS*");
      Header refused = client.call(new Header("", "", "upload", uploadData("", "b.bin", random(401, 2), false)));
      assertThat(refused.data()).isEqualTo("NOT_READY*QUOTA_EXCEEDED*600*1000");
      // Storage opened the upload before quota refused it: its empty partial is gone with it.
      for (int i = 0; i < 20; i++) {
        String data = uploadData("", "refused-" + i + ".bin", random(401, 2), false);
        assertThat(client.call(new Header("", "", "upload", data)).data()).startsWith("NOT_READY*QUOTA_EXCEEDED*");
      }
      try (Stream<Path> partials = Files.list(data.resolve("partial"))) {
        // Other tests' partials may be there; the metadata of each names its target.
        List<String> tights = new ArrayList<>();
        for (Path partial : partials.toList()) {
          if (Files.readString(partial, StandardCharsets.ISO_8859_1).contains("/home/tight/")) {
            tights.add(partial.getFileName().toString());
          }
        }
        assertThat(tights).as("partial uploads left by refusals").isEmpty();
      }
      // An overwrite reserves the whole new file: the old one counts until the new one replaces it.
      byte[] bigger = random(401, 3);
      Header overwrite = client.call(new Header("", "", "upload", uploadData("", "a.bin", bigger, true)));
      assertThat(overwrite.data()).isEqualTo("NOT_READY*QUOTA_EXCEEDED*600*1000");
      byte[] fits = random(400, 4);
      assertThat(WireTransfers.upload(client, uploadData("", "a.bin", fits, true), fits)).startsWith("SUCCESS*");
      assertUsage("tight", 400);
    }
  }

  /**
   * The replaced file is credited only on publish: renaming it away while its overwrite runs
   * leaves both counted, and the overwrite's reservation already covers the new file whole, so
   * usage never passes the limit.
   */
  @Test
  void renamingTheFileAnOverwriteReplacesCannotPassTheLimit() throws Exception {
    int limit = 1_048_576;
    server.addUser("mover", PASSWORD, limit);
    byte[] old = random(400_000, 11);
    byte[] replacement = random(500_000, 12);
    try (WireClient uploader = WireClient.login(server.port(), "mover", PASSWORD, "user");
         WireClient other = WireClient.login(server.port(), "mover", PASSWORD, "user")) {
      upload(uploader, "a.bin", old, false);
      assertThat(WireTransfers.ready(uploader, uploadData("", "a.bin", replacement, true))).isZero();
      WireTransfers.send(uploader, replacement, 0, 200_000);
      assertThat(other.call("rename", "a.bin*kept.bin")).isEqualTo("OK");
      byte[] more = random(200_000, 13);
      assertThat(other.call(new Header("", "", "upload", uploadData("", "c.bin", more, false))).data())
        .as("the running overwrite holds its whole size")
        .isEqualTo("NOT_READY*QUOTA_EXCEEDED*900000*" + limit);
      assertThat(WireTransfers.send(uploader, replacement, 200_000, replacement.length).end()).startsWith("SUCCESS*");
      assertUsage("mover", 900_000);
      byte[] last = random(limit - 900_000, 14);
      upload(other, "c.bin", last, false);
      assertUsage("mover", limit);
      byte[] overLimit = random(1, 15);
      assertThat(other.call(new Header("", "", "upload", uploadData("", "d.bin", overLimit, false))).data())
        .isEqualTo("NOT_READY*QUOTA_EXCEEDED*" + limit + "*" + limit);
    }
  }

  @Test
  void usageFollowsOverwriteRmRenameAbortAndDroppedConnections() throws Exception {
    server.addUser("carol", PASSWORD, 0);
    server.addUser("dave", PASSWORD, 0);
    try (WireClient carol = WireClient.login(server.port(), "carol", PASSWORD, "user")) {
      upload(carol, "f.bin", random(300_000, 4), false);
      assertUsage("carol", 300_000);
      upload(carol, "f.bin", random(100_000, 5), true);
      assertUsage("carol", 100_000);
      upload(carol, "f.bin", random(500_000, 6), true);
      assertUsage("carol", 500_000);
      assertThat(carol.call("rename", "f.bin*g.bin")).isEqualTo("OK");
      assertUsage("carol", 500_000);
      assertThat(carol.call("rm", "g.bin")).isEqualTo("OK");
      assertUsage("carol", 0);

      // "uploading ABORT [...] keeps the partial data", which counts.
      byte[] aborted = random(3 * CHUNK, 7);
      assertThat(WireTransfers.ready(carol, uploadData("", "aborted.bin", aborted, false))).isZero();
      WireTransfers.send(carol, aborted, 0, 2 * CHUNK);
      carol.send(new Header("", "", "uploading", "ABORT"));
      assertThat(carol.next().data()).startsWith("FAILE*").endsWith("*ABORTED");
      assertUsageMatchesRecount("carol");
    }
    // A dropped connection keeps the partial as well; the server notices the drop on its own time.
    byte[] dropped = random(4 * CHUNK, 8);
    WireClient gone = WireClient.login(server.port(), "carol", PASSWORD, "user");
    assertThat(WireTransfers.ready(gone, uploadData("", "dropped.bin", dropped, false))).isZero();
    WireTransfers.send(gone, dropped, 0, 3 * CHUNK);
    WireTransfers.awaitAck(gone, CHUNK);
    long before = usage("carol");
    gone.close();
    awaitUsageAtLeast("carol", before + CHUNK);
    assertUsageMatchesRecount("carol");
    try (WireClient carol = WireClient.login(server.port(), "carol", PASSWORD, "user")) {
      upload(carol, "dropped.bin", dropped, false); // resumes: the partial becomes the file
      assertUsageMatchesRecount("carol");
      upload(carol, "x.bin", random(70_000, 9), false);
    }
    long carolBefore = usage("carol");
    // The admin moving a file between homes moves its bytes between the two accounts.
    try (WireClient admin = server.admin()) {
      assertThat(admin.call("rename", "/home/carol/x.bin*/home/dave/x.bin")).isEqualTo("OK");
    }
    assertUsage("carol", carolBefore - 70_000);
    assertUsage("dave", 70_000);
  }

  @Test
  void recountAndQuotaAreAdminOnlyForOthers() throws Exception {
    server.addUser("erin", PASSWORD, 0);
    try (WireClient erin = WireClient.login(server.port(), "erin", PASSWORD, "user")) {
      assertThat(erin.call("recount", "erin")).isEqualTo("没有访问权限!");
    }
    try (WireClient admin = server.admin()) {
      assertThat(admin.call("recount", "nobody")).isEqualTo("0");
      assertThat(admin.call("recount", "erin")).isEqualTo("0*0");
    }
  }

  private static void upload(WireClient client, String name, byte[] content, boolean overwrite) throws Exception {
    assertThat(WireTransfers.upload(client, uploadData("", name, content, overwrite), content)).startsWith("SUCCESS*");
  }

  /** Usage as quota-service keeps it, and as a fresh recount of the disk finds it. */
  private static void assertUsage(String account, long expected) throws Exception {
    assertThat(usage(account)).as("kept usage of " + account).isEqualTo(expected);
    assertThat(recount(account)).as("recount of " + account).isEqualTo(expected);
  }

  private static void assertUsageMatchesRecount(String account) throws Exception {
    long kept = usage(account);
    assertThat(recount(account)).as("recount of " + account).isEqualTo(kept);
  }

  /**
   * Waits until the kept usage of {@code account} reaches {@code bytes}: a dropped connection is
   * cleaned up on the server's own time. (A recount before that would race the cleanup's own
   * adjustment, which a recount may count twice; that is why the admin recounts quiet accounts.)
   */
  private static long awaitUsageAtLeast(String account, long bytes) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (long kept = usage(account); ; kept = usage(account)) {
      if (kept >= bytes) {
        return kept;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("usage of " + account + " stayed at " + kept + ", below " + bytes);
      }
      Thread.sleep(50);
    }
  }

  private static long usage(String account) throws Exception {
    try (WireClient admin = server.admin()) {
      return Long.parseLong(admin.call("quota", account).split("\\*")[0]);
    }
  }

  private static long recount(String account) throws Exception {
    try (WireClient admin = server.admin()) {
      return Long.parseLong(admin.call("recount", account).split("\\*")[0]);
    }
  }

  /** Many clients of one user uploading distinct files at the same moment. */
  static final class QuotaRace {

    interface Ports {
      int portOf(int client);
    }

    private QuotaRace() {
    }

    /** Each of {@code clients} logs in, then all send {@code upload} together; answers each final answer. */
    static List<String> race(int clients, Ports ports, String account, String password, int size) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        List<WireClient> sessions = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
          sessions.add(WireClient.login(ports.portOf(i), account, password, "user"));
        }
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
          WireClient client = sessions.get(i);
          byte[] content = random(size, 100 + i);
          String data = uploadData("", "race-" + i + ".bin", content, false);
          answers.add(pool.submit(() -> {
            go.await();
            Header reply = client.call(new Header("", "", "upload", data));
            if (!reply.data().startsWith("READY*")) {
              return reply.data();
            }
            return WireTransfers.send(client, content, 0, content.length).end();
          }));
        }
        go.countDown();
        List<String> result = new ArrayList<>();
        for (Future<String> answer : answers) {
          result.add(answer.get(60, TimeUnit.SECONDS));
        }
        for (WireClient client : sessions) {
          client.close();
        }
        return result;
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
