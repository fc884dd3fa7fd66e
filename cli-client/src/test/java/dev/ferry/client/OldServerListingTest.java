package dev.ferry.client;

import dev.ferry.protocol.Command;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A server that does not know {@code list} (it answers UNKNOWN_COMMAND): the CLI lists with {@code view}. */
class OldServerListingTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withAliceWithoutTls("1000000");

  @RegisterExtension
  static final AnswerRewritingRelay relay = AnswerRewritingRelay.inFrontOf(server);

  @TempDir
  Path config;

  @Test
  void lsFallsBackToViewOnAServerWithoutList() {
    String alice = "alice@127.0.0.1:" + relay.port();
    Cli.ok(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "mkdir", alice + ":older");
    relay.rewrite(h -> h.cmd().equals(Command.LIST.wire()) ? Header.reply(h.account(), h.cmd(), Replies.UNKNOWN_COMMAND) : h);

    Cli.Result ls = Cli.ok(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "ls", alice + ":");

    assertThat(ls.out()).containsPattern("(?m)^dir\\s+-\\s+\\S+ \\S+\\s+older/$");
    assertThat(relay.sent()).containsSubsequence("list", "view");
  }
}
