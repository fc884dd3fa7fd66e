package dev.ferry.client;

import dev.ferry.protocol.Command;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the connections of a {@code -j} transfer log in, seen by a relay in front of a real
 * plain-TCP server: the first with the password, the others with a session ticket asked for on
 * the first; against a server that does not know {@code ticket}, all with the password.
 */
class ParallelLoginsTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withAliceWithoutTls("1G");
  @RegisterExtension
  static final AnswerRewritingRelay relay = AnswerRewritingRelay.inFrontOf(server);

  @TempDir
  Path config;
  @TempDir
  Path work;

  private Cli.Result put(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--no-tls";
    all[1] = "put";
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), all);
  }

  private Path files(String name, int count) throws Exception {
    Path dir = work.resolve(name);
    for (int i = 0; i < count; i++) {
      TestFiles.random(dir.resolve("f" + i + ".bin"), 1000 + i, i);
    }
    return dir;
  }

  private long frequency(String cmd) {
    return Collections.frequency(relay.sent(), cmd);
  }

  @Test
  void theOtherConnectionsLogInWithATicketNotThePassword() throws Exception {
    Path dir = files("ticketed", 24);
    Cli.Result r = put("-r", "-q", "-j", "4", dir.toString(), "alice@127.0.0.1:" + relay.port());
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.OK);
    assertThat(frequency(Command.LOGIN.wire())).isEqualTo(1);
    assertThat(frequency(Command.TICKET.wire())).isEqualTo(1);
    assertThat(frequency(Command.TICKET_LOGIN.wire())).isEqualTo(3);
    assertThat(frequency(Command.UPLOAD.wire())).isEqualTo(24);
    assertThat(relay.sent()).startsWith(Command.LOGIN.wire(), Command.TICKET.wire());
  }

  @Test
  void oneJobIsOneConnectionAndNoTicket() throws Exception {
    Path dir = files("single", 5);
    Cli.Result r = put("-r", "-q", "-j", "1", dir.toString(), "alice@127.0.0.1:" + relay.port());
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.OK);
    assertThat(relay.sent()).containsOnlyOnce(Command.LOGIN.wire()).doesNotContain(Command.TICKET.wire(),
      Command.TICKET_LOGIN.wire());
  }

  @Test
  void againstAServerWithoutTicketsEveryConnectionLogsInWithThePassword() throws Exception {
    relay.rewrite(h -> h.cmd().equals(Command.TICKET.wire()) ? new Header("", "", h.cmd(), Replies.UNKNOWN_COMMAND) : h);
    Path dir = files("old-server", 24);
    Cli.Result r = put("-r", "-q", "-j", "4", dir.toString(), "alice@127.0.0.1:" + relay.port());
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.OK);
    assertThat(frequency(Command.LOGIN.wire())).isEqualTo(4);
    assertThat(frequency(Command.TICKET.wire())).as("asked once only").isEqualTo(1);
    assertThat(frequency(Command.TICKET_LOGIN.wire())).isZero();
    Path copy = Files.createDirectories(work.resolve("copy"));
    Cli.Result back = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "get", "-r", "-q",
      "alice@127.0.0.1:" + relay.port() + ":old-server", copy.toString());
    assertThat(back.exit()).as(back.toString()).isEqualTo(ExitCode.OK);
    assertThat(TestFiles.tree(copy.resolve("old-server"))).isEqualTo(TestFiles.tree(dir));
  }
}
