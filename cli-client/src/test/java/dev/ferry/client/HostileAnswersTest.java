package dev.ferry.client;

import dev.ferry.protocol.Command;
import dev.ferry.protocol.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that answers with terminal escape sequences: a real server behind a relay that
 * rewrites its answers. Whatever it says reaches the user's terminal only through the escaping
 * names get, so it can neither move the cursor, clear the screen nor set the window title; and
 * a listing with names that would leave the destination, reach another drive or an alternate
 * data stream on Windows, is not followed by {@code get -r}.
 */
class HostileAnswersTest {

  /** Sets the window title, rings the bell, clears the screen, then an 8-bit CSI and a bidi override. */
  private static final String HOSTILE = "\u001b]0;owned\u0007\u001b[2J\u009b31mred\u202Etxt.exe";
  private static final String SHOWN = "?]0;owned??[2J?31mred?txt.exe";

  @RegisterExtension
  static final RunningServer server = RunningServer.withAliceWithoutTls("1000000");

  @RegisterExtension
  static final AnswerRewritingRelay relay = AnswerRewritingRelay.inFrontOf(server);

  @TempDir
  Path config;

  private String alice() {
    return "alice@127.0.0.1:" + relay.port();
  }

  private static void answer(Command command, String cmd, String data) {
    relay.rewrite(h -> h.cmd().equals(command.wire()) ? Header.reply(h.account(), cmd, data) : h);
  }

  private static void assertNoControlCharacters(Cli.Result r) {
    assertThat((r.out() + r.err()).replace("\n", "").chars().filter(Character::isISOControl)).as(r.toString()).isEmpty();
    assertThat(r.out() + r.err()).doesNotContain("\u202E");
  }

  @Test
  void anAnswerTheClientDoesNotKnowIsPrintedEscaped() {
    answer(Command.MKDIR, Command.MKDIR.wire(), HOSTILE);

    Cli.Result r = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "mkdir", alice() + ":docs");

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.REFUSED);
    assertThat(r.err()).isEqualTo("ferry: the server answered: " + SHOWN + "\n");
    assertNoControlCharacters(r);
  }

  @Test
  void aLoginAnswerTheClientDoesNotKnowIsPrintedEscaped() {
    answer(Command.LOGIN, Command.LOGIN.wire(), HOSTILE);

    Cli.Result r = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "pwd", alice());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CONNECTION);
    assertThat(r.err()).contains(SHOWN);
    assertNoControlCharacters(r);
  }

  @Test
  void anErrorFrameIsPrintedEscaped() {
    answer(Command.PWD, Command.ERROR.wire(), HOSTILE);

    Cli.Result r = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "pwd", alice());

    assertThat(r.exit()).as(r.toString()).isNotEqualTo(ExitCode.OK);
    assertThat(r.err()).contains(SHOWN);
    assertNoControlCharacters(r);
  }

  @Test
  void aBusyReasonIsPrintedEscaped() {
    relay.rewrite(h -> h.cmd().equals(Command.HELLO.wire()) ? Header.reply("", Command.ERROR.wire(), "BUSY*" + HOSTILE) : h);

    Cli.Result r = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "ls", alice());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CONNECTION);
    assertThat(r.err()).contains(SHOWN);
    assertNoControlCharacters(r);
  }

  @Test
  void getRefusesNamesOfAHostileListingThatWouldLeaveTheDestination(@TempDir Path local) throws Exception {
    Path tree = Files.createDirectories(local.resolve("tree"));
    Files.writeString(tree.resolve("ok.txt"), "fine");
    // Real files on the server: only the client's check keeps them from becoming local names.
    Files.writeString(tree.resolve("c:evil"), "evil");
    Files.writeString(tree.resolve("ok.txt:stream"), "evil");
    Cli.ok(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "put", "-r", tree.toString(), alice() + ":");
    Files.delete(tree.resolve("c:evil"));
    Files.delete(tree.resolve("ok.txt:stream"));
    List<String> hostile = List.of("../escape", "..", "sub/../../escape", "bell\u0007");
    relay.rewrite(h -> {
      if (!h.cmd().equals(Command.VIEW.wire()) || !h.data().startsWith("[")) {
        return h;
      }
      JsonArray listing = new JsonArray(h.data());
      hostile.forEach(name -> listing.add(new JsonObject().put("name", name).put("type", "file").put("size", 4).put("mtime", 0)));
      return Header.reply(h.account(), h.cmd(), listing.encode());
    });
    Path copy = local.resolve("copy");

    Cli.Result r = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "get", "-r", alice() + ":tree", copy.toString());

    assertThat(r.exit()).as(r.toString()).isNotEqualTo(ExitCode.OK);
    assertThat(r.err()).contains("the server listed a name that cannot be a local file name; skipped");
    assertNoControlCharacters(r);
    assertThat(Files.readString(copy.resolve("ok.txt"))).isEqualTo("fine");
    try (Stream<Path> everything = Files.walk(local)) {
      assertThat(everything.map(p -> local.relativize(p).toString()))
        .containsExactlyInAnyOrder("", "tree", "tree/ok.txt", "copy", "copy/ok.txt");
    }
  }
}
