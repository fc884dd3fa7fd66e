package dev.ferry.client;

import dev.ferry.client.command.RemoteSession;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.ferry.client.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Servers without an extension the CLI uses, played by a relay rewriting a real server's
 * answers: one that does not know {@code list} (it answers UNKNOWN_COMMAND), where the CLI lists
 * with {@code view}; one that answers an upload's {@code LATER} checksum {@code BAD_ARGUMENTS},
 * where the CLI waits for the file's checksum and asks again with it.
 */
class OldServerTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withAliceWithoutTls("100000000");

  @RegisterExtension
  static final AnswerRewritingRelay relay = AnswerRewritingRelay.inFrontOf(server);

  @TempDir
  Path config;

  @TempDir
  Path work;

  @Test
  void lsFallsBackToViewOnAServerWithoutList() {
    String alice = "alice@127.0.0.1:" + relay.port();
    Cli.ok(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "mkdir", alice + ":older");
    relay.rewrite(h -> h.cmd().equals(Command.LIST.wire()) ? Header.reply(h.account(), h.cmd(), Replies.UNKNOWN_COMMAND) : h);

    Cli.Result ls = Cli.ok(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "ls", alice + ":");

    assertThat(ls.out()).containsPattern("(?m)^dir\\s+-\\s+\\S+ \\S+\\s+older/$");
    assertThat(relay.sent()).containsSubsequence("list", "view");
  }

  @Test
  void anUploadRefusedItsLaterChecksumIsAskedForAgainWithIt() throws Exception {
    Path source = TestFiles.random(work.resolve("old.bin"), 16L * MIB + 7, 21);
    AtomicBoolean first = new AtomicBoolean(true);
    CountDownLatch refused = new CountDownLatch(1);
    relay.rewrite(h -> {
      if (h.cmd().equals(Command.UPLOAD.wire()) && first.getAndSet(false)) {
        refused.countDown();
        return Header.reply(h.account(), h.cmd(), Replies.BAD_ARGUMENTS);
      }
      return h;
    });
    try (HeldHashPut held = new HeldHashPut(session(), config, source)) {
      assertThat(refused.await(60, TimeUnit.SECONDS)).as("the upload asked with LATER").isTrue();
      held.release();
      assertThat(held.put.get(60, TimeUnit.SECONDS)).isEqualTo(Files.size(source));
    }
    assertThat(relay.sent()).containsSubsequence("upload", "upload");
    assertThat(server.home("alice").resolve("old.bin")).hasSameBinaryContentAs(source);
  }

  private RemoteSession session() throws Exception {
    return Cli.aliceSession("alice@127.0.0.1:" + relay.port(), config, false);
  }
}
