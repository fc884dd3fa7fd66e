package dev.ferry.client;

import dev.ferry.client.command.RemoteSession;
import dev.ferry.client.net.Connection;
import dev.ferry.client.transfer.Cancellation;
import dev.ferry.client.transfer.Download;
import dev.ferry.client.transfer.LocalChecksums;
import dev.ferry.client.transfer.PartFile;
import dev.ferry.client.transfer.Progress;
import dev.ferry.client.transfer.Reconnector;
import dev.ferry.client.transfer.TransferInterruptedException;
import dev.ferry.client.transfer.Upload;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.ferry.client.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Transfers that stop part way and go on: a LOCAL.part left behind, an upload cut off, Ctrl-C,
 * and a connection that drops in the middle (through {@link CuttingProxy}).
 */
class TransferResumeTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withAlice("500M");
  @RegisterExtension
  static final CuttingProxy proxy = CuttingProxy.inFrontOf(server);

  @TempDir
  Path config;
  @TempDir
  Path work;

  private String alice() {
    return "alice@127.0.0.1:" + server.port();
  }

  private Map<String, String> env() {
    return Cli.env(config, Cli.ALICE_PASSWORD);
  }

  private Cli.Result ok(String... args) {
    return Cli.ok(env(), args);
  }

  /** A file on the server (uploaded by the CLI) and its local original. */
  private Path uploaded(String name, long size, long seed) throws Exception {
    Path file = TestFiles.random(work.resolve("src/" + name), size, seed);
    ok("put", "-q", "-f", file.toString(), alice());
    return file;
  }

  @Test
  void aDownloadResumesFromItsPartFile() throws Exception {
    Path source = uploaded("resume.bin", 3L * MIB + 5, 1);
    Path local = work.resolve("resume.bin");
    PartFile part = new PartFile(local);
    Files.write(part.path(), Arrays.copyOf(Files.readAllBytes(source), MIB + 7));

    ok("get", alice() + ":resume.bin", local.toString());
    assertThat(local).hasSameBinaryContentAs(source);
    assertThat(part.path()).doesNotExist();
  }

  @Test
  void aPartWithWrongContentIsAMismatchAndNothingIsKept() throws Exception {
    Path source = uploaded("wrong.bin", 2L * MIB, 2);
    Path local = work.resolve("wrong.bin");
    PartFile part = new PartFile(local);
    TestFiles.random(part.path(), MIB + MIB / 2, 99);

    Cli.Result r = Cli.run(env(), "get", alice() + ":wrong.bin", local.toString());
    assertThat(r.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(r.err()).contains("CHECKSUM MISMATCH").contains("nothing was saved as " + local);
    assertThat(local).doesNotExist();
    assertThat(part.path()).doesNotExist();

    // The bad bytes are gone, so the next run starts over and succeeds.
    ok("get", alice() + ":wrong.bin", local.toString());
    assertThat(local).hasSameBinaryContentAs(source);
  }

  @Test
  void aPartLongerThanTheFileStartsOverAndACompleteOneIsOnlyVerified() throws Exception {
    Path source = uploaded("short.bin", 1000, 3);
    Path local = work.resolve("short.bin");
    PartFile part = new PartFile(local);
    TestFiles.random(part.path(), 5000, 4);
    ok("get", alice() + ":short.bin", local.toString());
    assertThat(local).hasSameBinaryContentAs(source);

    Files.copy(source, part.path());
    Files.delete(local);
    ok("get", alice() + ":short.bin", local.toString());
    assertThat(local).hasSameBinaryContentAs(source);
    assertThat(part.path()).doesNotExist();
  }

  @Test
  void anUploadCutOffHalfwayIsResumedByRunningPutAgain() throws Exception {
    Path source = TestFiles.random(work.resolve("half.bin"), 5L * MIB + 17, 5);
    byte[] bytes = Files.readAllBytes(source);
    try (RemoteSession raw = rawSession()) {
      Connection c = raw.connection();
      String reply = c.request(Command.UPLOAD.wire(),
        Replies.join("/home/alice", "half.bin", bytes.length, TestFiles.sha256(source)));
      assertThat(reply).isEqualTo("READY*0");
      for (int offset = 0; offset < 2 * MIB; offset += MIB) {
        c.send(Command.UPLOADING.wire(), Integer.toString(offset), Buffer.buffer(Arrays.copyOfRange(bytes, offset, offset + MIB)));
      }
      String ack;
      do {
        Header h = c.receive().header();
        assertThat(h.cmd()).isEqualTo(Command.UPLOADING.wire());
        assertThat(h.data()).startsWith("ACK*");
        ack = h.data();
      } while (!ack.equals("ACK*" + 2 * MIB));
      c.close(); // gone without a word, as a dropped connection
    }

    Cli.Result r = ok("put", source.toString(), alice());
    assertThat(r.err()).contains("half.bin 100%");
    assertThat(ok("checksum", alice() + ":half.bin").out()).startsWith(TestFiles.sha256(source));
    ok("get", "-q", alice() + ":half.bin", work.resolve("half-back.bin").toString());
    assertThat(work.resolve("half-back.bin")).hasSameBinaryContentAs(source);
  }

  @Test
  void ctrlCDuringADownloadCancelsCleanlyAndTheNextRunResumes() throws Exception {
    Path source = uploaded("cancel-down.bin", 16L * MIB, 6);
    Path local = work.resolve("cancel-down.bin");
    try (RemoteSession session = rawSession()) {
      Cancellation cancellation = Cancellation.none();
      Progress pressAt2MiB = pressingAt(cancellation, 2L * MIB);
      Download download = new Download(session, pressAt2MiB, cancellation, noRetries(session, cancellation));
      assertThatThrownBy(() -> download.file("/home/alice/cancel-down.bin", local, "cancel-down.bin"))
        .isInstanceOf(TransferInterruptedException.class);

      long kept = new PartFile(local).length();
      assertThat(kept).isBetween(2L * MIB, 16L * MIB - 1);
      assertThat(local).doesNotExist();
      // The chunks in flight were drained up to ABORTED: the connection is in step.
      assertThat(session.printWorkingDirectory()).isEqualTo("/home/alice");

      Cancellation none = Cancellation.none();
      new Download(session, Progress.QUIET, none, noRetries(session, none)).file("/home/alice/cancel-down.bin", local, "x");
    }
    assertThat(local).hasSameBinaryContentAs(source);
  }

  @Test
  void ctrlCDuringAnUploadAbortsAndTheNextRunResumes() throws Exception {
    Path source = TestFiles.random(work.resolve("cancel-up.bin"), 16L * MIB + 3, 7);
    try (RemoteSession session = rawSession()) {
      Cancellation cancellation = Cancellation.none();
      Upload upload = new Upload(session, pressingAt(cancellation, 2L * MIB), cancellation, noRetries(session, cancellation),
        LocalChecksums.in(null));
      assertThatThrownBy(() -> upload.file(source, "/home/alice", "cancel-up.bin", false, "cancel-up.bin"))
        .isInstanceOf(TransferInterruptedException.class);
      assertThat(session.printWorkingDirectory()).isEqualTo("/home/alice");
      assertThat(session.list("")).noneMatch(e -> e.name().equals("cancel-up.bin"));
    }
    ok("put", source.toString(), alice());
    ok("get", "-q", alice() + ":cancel-up.bin", work.resolve("cancel-up-back.bin").toString());
    assertThat(work.resolve("cancel-up-back.bin")).hasSameBinaryContentAs(source);
  }

  @Test
  void aDownloadWhoseConnectionDropsReconnectsAndResumes() throws Exception {
    Path source = uploaded("dropped-down.bin", 10L * MIB, 8);
    Path local = work.resolve("dropped-down.bin");
    int before = proxy.cuts();
    proxy.cutOnce(CuttingProxy.Direction.TO_CLIENT, 3L * MIB);

    Cli.Result r = Cli.run(env(), "get", "alice@127.0.0.1:" + proxy.port() + ":dropped-down.bin", local.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.OK);
    assertThat(proxy.cuts()).isEqualTo(before + 1);
    assertThat(r.err()).contains("dropped-down.bin: connection lost").contains("reconnecting in 0.5 s (try 1 of 5)");
    assertThat(local).hasSameBinaryContentAs(source);
  }

  @Test
  void anUploadWhoseConnectionDropsReconnectsAndResumes() throws Exception {
    Path source = TestFiles.random(work.resolve("dropped-up.bin"), 10L * MIB + 1, 9);
    int before = proxy.cuts();
    proxy.cutOnce(CuttingProxy.Direction.TO_SERVER, 3L * MIB);

    Cli.Result r = Cli.run(env(), "put", source.toString(), "alice@127.0.0.1:" + proxy.port() + ":/home/alice");
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.OK);
    assertThat(proxy.cuts()).isEqualTo(before + 1);
    assertThat(r.err()).contains("connection lost").contains("reconnecting in 0.5 s (try 1 of 5)");
    assertThat(ok("checksum", alice() + ":dropped-up.bin").out()).startsWith(TestFiles.sha256(source));
  }

  @Test
  void withoutRetriesALostConnectionEndsTheCommand() throws Exception {
    uploaded("no-retry.bin", 6L * MIB, 10);
    Path local = work.resolve("no-retry.bin");
    proxy.cutOnce(CuttingProxy.Direction.TO_CLIENT, 2L * MIB);

    Cli.Result r = Cli.run(env(), "get", "--retries", "0", "alice@127.0.0.1:" + proxy.port() + ":no-retry.bin", local.toString());
    assertThat(r.exit()).isEqualTo(ExitCode.CONNECTION);
    assertThat(r.err()).containsPattern("(?m)^ferry: no-retry\\.bin: connection lost \\(.+\\); run the same command again to resume$");
    assertThat(local).doesNotExist();
    assertThat(new PartFile(local).length()).isPositive();

    ok("get", "-q", alice() + ":no-retry.bin", local.toString());
    assertThat(local).hasSameBinaryContentAs(work.resolve("src/no-retry.bin"));
  }

  @Test
  void aServerThatStaysAwayEndsTheCommandAfterTheRetries() throws Exception {
    uploaded("gone.bin", 6L * MIB, 11);
    Path local = work.resolve("gone.bin");
    proxy.cutAndRefuse(CuttingProxy.Direction.TO_CLIENT, 2L * MIB);
    Cli.Result r;
    try {
      r = Cli.run(env(), "get", "--retries", "2", "alice@127.0.0.1:" + proxy.port() + ":gone.bin", local.toString());
    } finally {
      proxy.accept();
    }
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CONNECTION);
    // The reason depends on how the socket died (end of stream, reset): the words around it do not.
    assertThat(r.err()).containsPattern("(?m)^gone\\.bin: connection lost \\(.+\\); reconnecting in 0\\.5 s \\(try 1 of 2\\)$")
      .containsPattern("(?m)^gone\\.bin: connection lost \\(.+\\); reconnecting in 1\\.0 s \\(try 2 of 2\\)$")
      .containsPattern("(?m)^ferry: gone\\.bin: connection lost \\(.*\\) and not regained after 2 tries; run the same command again"
        + " to resume$");
    assertThat(local).doesNotExist();
    assertThat(new PartFile(local).length()).isPositive();
  }

  /**
   * PROTOCOL.md s5, extension: while the file is still being hashed ahead, a put sends its chunks
   * at once and the checksum after them, and the server publishes only once it has come.
   */
  @Test
  void anUploadSendsItsChunksWhileTheFileIsStillBeingHashed() throws Exception {
    Path source = TestFiles.random(work.resolve("later.bin"), 16L * MIB + 3, 11);
    Path stored = server.home("alice").resolve("later.bin");
    try (HeldHashPut held = new HeldHashPut(rawSession(), config, source)) {
      held.awaitAllStored();
      assertThat(stored).as("not published before its checksum came").doesNotExist();
      held.release();
      assertThat(held.put.get(60, TimeUnit.SECONDS)).isEqualTo(Files.size(source));
    }
    assertThat(stored).hasSameBinaryContentAs(source);
  }

  /**
   * The file changed after its chunks went and before it was hashed: the server finds the
   * checksum is not that of what it stored, drops it, and the put sends the file as it is now.
   */
  @Test
  void aFileThatChangedBeforeItsLateChecksumIsSentAgain() throws Exception {
    Path source = TestFiles.random(work.resolve("changed.bin"), 16L * MIB + 5, 12);
    try (HeldHashPut held = new HeldHashPut(rawSession(), config, source)) {
      held.awaitAllStored();
      TestFiles.random(source, 16L * MIB + 5, 13);
      held.release();
      assertThat(held.put.get(60, TimeUnit.SECONDS)).isEqualTo(Files.size(source));
    }
    assertThat(server.home("alice").resolve("changed.bin")).hasSameBinaryContentAs(source);
  }

  /** A progress display that presses Ctrl-C once a transfer (not its checksum) has moved {@code bytes}. */
  private static Progress pressingAt(Cancellation cancellation, long bytes) {
    return new Progress() {
      private Phase phase;

      @Override
      public void begin(String name, Phase phase, long total, long done) {
        this.phase = phase;
      }

      @Override
      public void update(long done) {
        if (phase == Phase.TRANSFER && done >= bytes && !cancellation.requested()) {
          cancellation.press();
        }
      }

      @Override
      public void end(boolean completed) {
      }
    };
  }

  private static Reconnector noRetries(RemoteSession session, Cancellation cancellation) {
    return new Reconnector(session, 0, cancellation, null, Messages.forLocale(Locale.ENGLISH), Thread::sleep);
  }

  private RemoteSession rawSession() throws Exception {
    return Cli.aliceSession(alice(), config, true);
  }
}
