package dev.ferry.client;

import dev.ferry.client.command.RemoteSession;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's refusals for load, as the user meets them: a real server behind a relay that
 * turns its greeting or its login answers into the {@code BUSY*<reason>} a loaded server sends.
 * A login answered {@code BUSY*HASHING} is tried again; every other refusal is said in plain
 * words and the command fails.
 */
class ServerBusyTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withAliceWithoutTls("1000000");

  @RegisterExtension
  static final AnswerRewritingRelay relay = AnswerRewritingRelay.inFrontOf(server);

  @TempDir
  Path config;

  private String alice() {
    return "alice@127.0.0.1:" + relay.port();
  }

  /** The first {@code times} login answers become {@code data}; -1: all of them. */
  private static void loginAnswers(String data, int times) {
    AtomicInteger left = new AtomicInteger(times);
    relay.rewrite(h -> h.cmd().equals(Command.LOGIN.wire()) && left.getAndDecrement() != 0
      ? Header.reply(h.account(), h.cmd(), data)
      : h);
  }

  @Test
  void aLoginAnsweredBusyHashingIsTriedAgainAndGoesThrough() {
    loginAnswers("BUSY*HASHING", 2);

    Cli.Result r = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "pwd", alice());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).isEqualTo("/home/alice\n");
    assertThat(Collections.frequency(relay.sent(), "login")).isEqualTo(3);
  }

  @Test
  void aServerStillBusyHashingAfterTheTriesIsSaidSo() {
    loginAnswers("BUSY*HASHING", -1);

    Cli.Result r = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "pwd", alice());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CONNECTION);
    assertThat(r.err()).isEqualTo("ferry: login as " + alice()
      + " refused: the server is busy checking other passwords; try again in a moment\n");
    assertThat(Collections.frequency(relay.sent(), "login")).isEqualTo(RemoteSession.BUSY_LOGIN_TRIES);
  }

  @Test
  void aRateLimitedLoginIsNotTriedAgain() {
    loginAnswers("BUSY*RATE_LIMITED", -1);

    Cli.Result r = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "ls", alice());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CONNECTION);
    assertThat(r.err()).isEqualTo("ferry: login as " + alice()
      + " refused: too many failed logins from your address; try again in a minute\n");
    assertThat(relay.sent()).containsExactly("login");
  }

  @Test
  void aServerOverItsConnectionsSaysSoInsteadOfGreeting() {
    relay.rewrite(h -> h.cmd().equals(Command.HELLO.wire()) ? Header.reply("", Command.ERROR.wire(), "BUSY*CONNECTIONS") : h);

    Cli.Result r = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "ls", alice());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CONNECTION);
    assertThat(r.err()).isEqualTo("ferry: server 127.0.0.1:" + relay.port()
      + " is busy: too many connections; try again later\n");
    assertThat(relay.sent()).isEmpty();
  }

  @Test
  void theRefusalsAreSaidInTheUsersLanguage() {
    Map<String, String> chinese = new HashMap<>(Cli.env(config, Cli.ALICE_PASSWORD));
    chinese.put("LANG", "zh_CN.UTF-8");
    relay.rewrite(h -> h.cmd().equals(Command.HELLO.wire()) ? Header.reply("", Command.ERROR.wire(), "BUSY*ADDRESS") : h);

    Cli.Result busy = Cli.run(chinese, "--no-tls", "ls", alice());

    assertThat(busy.exit()).as(busy.toString()).isEqualTo(ExitCode.CONNECTION);
    assertThat(busy.err()).isEqualTo("ferry: 服务器 127.0.0.1:" + relay.port() + " 繁忙：来自你的地址的连接过多；请稍后再试\n");

    loginAnswers("BUSY*RATE_LIMITED", -1);
    Cli.Result limited = Cli.run(chinese, "--no-tls", "ls", alice());

    assertThat(limited.exit()).as(limited.toString()).isEqualTo(ExitCode.CONNECTION);
    assertThat(limited.err()).contains("你的地址登录失败次数过多；请一分钟后再试");
  }
}
