package dev.ferry.client;

import dev.ferry.client.command.CommandTable;
import dev.ferry.client.command.RemoteSession;
import dev.ferry.client.net.Connection;
import dev.ferry.client.net.Connector;
import dev.ferry.client.net.KnownServers;
import dev.ferry.client.net.TrustPrompt;
import dev.ferry.client.shell.RemoteNameCompleter;
import dev.ferry.client.shell.Shell;
import dev.ferry.client.shell.TerminalPrompter;
import dev.ferry.protocol.Role;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shell reading commands from a pipe, and the JLine parts (terminal, completion, history). */
class PipedShellTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withAlice("1000000");

  @TempDir
  Path config;

  private String alice() {
    return "alice@127.0.0.1:" + server.port();
  }

  private Map<String, String> env() {
    return Cli.env(config, Cli.ALICE_PASSWORD);
  }

  @Test
  void aPipedSessionRunsCommandsInOrder() {
    String script = String.join("\n",
      "# a comment, then a blank line",
      "",
      "pwd",
      "mkdir piped",
      "cd piped",
      "pwd",
      "mkdir \"with space\"",
      "ls",
      "cd",
      "pwd",
      "quota",
      "exit",
      "pwd") + "\n";
    Cli.Result r = Cli.piped(env(), script, alice());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).startsWith("/home/alice\n/home/alice/piped\n");
    assertThat(r.out()).containsPattern("(?m)^dir\\s+-\\s+\\S+ \\S+\\s+with space/$");
    // Read from a pipe, quota is a plain line: no bar.
    assertThat(r.out()).containsPattern("(?m)^/home/alice\\nalice: used \\S+ [KMG]?i?B of 976\\.6 KiB \\(\\d+%\\)\\n$");
    // No prompts in a script: the output holds only results. Nothing after exit ran.
    assertThat(r.out()).doesNotContain("alice@127.0.0.1").doesNotContain("> ");
    assertThat(r.out().lines().filter(l -> l.equals("/home/alice"))).hasSize(2);
  }

  @Test
  void aScriptStopsAtTheFirstFailureSoNothingActsInTheWrongPlace() {
    Cli.Result r = Cli.piped(env(), "cd no-such-dir\nmkdir stray\n", alice());

    assertThat(r.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(r.err()).contains("no such path (路径不存在!)");
    assertThat(Cli.run(env(), "ls", alice() + ":").out()).doesNotContain("stray");
  }

  @Test
  void aDashBeforeACommandLetsTheScriptGoOn() {
    Cli.Result r = Cli.piped(env(), "-cd /home/bob\n-bogus\nmkdir went-on\nls\n", alice());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.OK);
    assertThat(r.err()).contains("permission denied (没有访问权限!)").contains("unknown command: bogus");
    assertThat(r.out()).contains("went-on/");
  }

  @Test
  void secretsAskedInAScriptAreTheNextLines() {
    String admin = "admin@127.0.0.1:" + server.port();
    Cli.Result add = Cli.piped(Cli.env(config, Cli.ADMIN_PASSWORD), "useradd erin user 1M\nerin-pass-1\nusers\n", "--admin", admin);
    assertThat(add.exit()).as(add.toString()).isEqualTo(ExitCode.OK);
    assertThat(add.out()).contains("account erin created").containsPattern("(?m)^erin\\s+user\\s+no\\s+0 B\\s+1\\.0 MiB\\s+0%$");

    String erin = "erin@127.0.0.1:" + server.port();
    Cli.Result passwd = Cli.piped(Cli.env(config, "erin-pass-1"), "passwd\nerin-pass-1\nerin-pass-2\n", erin);
    assertThat(passwd.exit()).as(passwd.toString()).isEqualTo(ExitCode.OK);
    assertThat(passwd.out()).contains("password of erin changed");

    assertThat(Cli.run(Cli.env(config, "erin-pass-1"), "pwd", erin).exit()).isEqualTo(ExitCode.CONNECTION);
    assertThat(Cli.run(Cli.env(config, "erin-pass-2"), "pwd", erin).out()).isEqualTo("/home/erin\n");
  }

  @Test
  void aWrongLineInAScriptIsAUsageError() {
    Cli.Result r = Cli.piped(env(), "mkdir\n", alice());
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("usage: mkdir PATH");
  }

  @Test
  void helpListsTheCommandsWithTheTransfers() {
    Cli.Result r = Cli.piped(env(), "help\n", alice());
    assertThat(r.exit()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("mkdir PATH", "useradd ACCOUNT ROLE QUOTA", "exit");
    assertThat(r.out()).containsPattern("(?m)^\\s+recount ACCOUNT\\s+count an account's usage again .*\\(admin\\)$");
    assertThat(r.out()).containsPattern("(?m)^\\s+get \\[-rq] \\[-j N] REMOTE\\.\\.\\. \\[LOCAL]\\s+download files")
      .containsPattern("(?m)^\\s+put \\[-rfq] \\[-j N] LOCAL\\.\\.\\. \\[REMOTE_DIR]\\s+upload files");
  }

  @Test
  void theTerminalShellUsesJLineAndCompletesRemoteNames() throws Exception {
    Path history = config.resolve("history");
    Connector connector = new Connector(new KnownServers(config.resolve("known_servers")), true, false, acceptAll());
    Connection connection = connector.connect(Target.parseServer(alice(), "nobody"));
    Messages messages = Messages.forLocale(Locale.ENGLISH);
    try (RemoteSession session = RemoteSession.login(connection, Target.parseServer(alice(), "nobody"), Cli.ALICE_PASSWORD,
      Role.USER)) {
      session.expectOk(dev.ferry.protocol.Command.MKDIR, "completion");
      session.expectOk(dev.ferry.protocol.Command.MKDIR, "completion/projects");
      session.expectOk(dev.ferry.protocol.Command.MKDIR, "completion/photos");

      RemoteNameCompleter completer = new RemoteNameCompleter(CommandTable.standard(), session);
      assertThat(complete(completer, "mk")).contains("mkdir");
      assertThat(complete(completer, "cd completion/p")).containsExactly("completion/photos/", "completion/projects/");
      assertThat(complete(completer, "quota a")).isEmpty();
      assertThat(complete(completer, "rec")).containsExactly("recount");

      ByteArrayInputStream typed = new ByteArrayInputStream("cd completion\npwd\nquota\nexit\n".getBytes(StandardCharsets.UTF_8));
      ByteArrayOutputStream screen = new ByteArrayOutputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      // A dumb terminal over streams (TerminalBuilder.streams(..) would open a pseudo-terminal).
      Terminal terminal = new DumbTerminal("test", Terminal.TYPE_DUMB, typed, screen, StandardCharsets.UTF_8);
      try (TerminalPrompter prompter = new TerminalPrompter(terminal, history)) {
        prompter.completeWith(completer);
        int exit = new Shell(CommandTable.standard(), session, prompter, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), messages).run();
        assertThat(exit).isEqualTo(ExitCode.OK);
      }
      // On a terminal quota draws its bar.
      assertThat(out.toString(StandardCharsets.UTF_8))
        .matches("/home/alice/completion\\nalice: used \\S+ [KMG]?i?B of 976\\.6 KiB \\(\\d+%\\) \\[█*░*]\\n")
        .containsPattern("\\[[█░]{20}]");
      assertThat(screen.toString(StandardCharsets.UTF_8)).contains("alice@127.0.0.1:/home/alice> ");
      assertThat(Files.readString(history)).contains("cd completion").contains("pwd");
    }
  }

  private static List<String> complete(RemoteNameCompleter completer, String line) {
    List<Candidate> candidates = new ArrayList<>();
    completer.complete(null, new DefaultParser().parse(line, line.length()), candidates);
    return candidates.stream().map(Candidate::value).filter(v -> v.startsWith(lastWord(line))).sorted().toList();
  }

  private static String lastWord(String line) {
    return line.endsWith(" ") ? "" : line.substring(line.lastIndexOf(' ') + 1);
  }

  private static TrustPrompt acceptAll() {
    return new TrustPrompt() {
      @Override
      public boolean trustNewServer(String serverKey, String fingerprint) {
        return true;
      }

      @Override
      public void replacedCertificate(String serverKey, String recorded, String presented) {
      }
    };
  }
}
