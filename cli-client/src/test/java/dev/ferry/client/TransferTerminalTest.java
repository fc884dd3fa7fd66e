package dev.ferry.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.ferry.client.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real {@code ferry} process on a pseudo-terminal (util-linux {@code script}), where
 * progress is a bar redrawn in place rather than plain lines.
 */
class TransferTerminalTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withoutUsers();

  @TempDir
  Path config;
  @TempDir
  Path work;

  @Test
  void aTerminalShowsAProgressBar() throws Exception {
    Path script = Path.of("/usr/bin/script");
    assumeTrue(Files.isExecutable(script), "util-linux script is needed for a pseudo-terminal");
    Cli.addUser(config, server.port(), "alice", Cli.ALICE_PASSWORD, "100M");
    String alice = "alice@127.0.0.1:" + server.port();
    Path file = TestFiles.random(work.resolve("bar.bin"), 6L * MIB, 1);
    // In-process and piped first: records the certificate, so the terminal run asks nothing.
    Cli.Result put = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "put", "-q", file.toString(), alice);
    assertThat(put.exit()).as(put.toString()).isEqualTo(ExitCode.OK);

    Path copy = work.resolve("copy.bin");
    Terminal run = onTerminal("get", alice + ":bar.bin", copy.toString());
    String shown = run.screen();
    assertThat(run.ended()).as("ferry ended: " + shown).isTrue();
    assertThat(run.exit()).as(shown).isEqualTo(ExitCode.OK);
    assertThat(copy).hasSameBinaryContentAs(file);
    // A bar: redrawn with carriage returns, name, percentage, [===] bar, bytes in MiB, a rate.
    assertThat(shown).contains("\r").contains("bar.bin").contains("100%").containsPattern("\\[=+]")
      .containsPattern("6/6\\s?MiB").containsPattern("MiB/s");
    assertThat(shown).doesNotContainPattern("(?m)^bar\\.bin 100% 6\\.0 MiB .* in ");
  }

  @Test
  void severalFilesAtOnceShowALinePerFileAndATotal() throws Exception {
    Path script = Path.of("/usr/bin/script");
    assumeTrue(Files.isExecutable(script), "util-linux script is needed for a pseudo-terminal");
    Cli.addUser(config, server.port(), "bob", Cli.ALICE_PASSWORD, "100M");
    String bob = "bob@127.0.0.1:" + server.port();
    Path tree = work.resolve("tree");
    for (int i = 0; i < 3; i++) {
      TestFiles.random(tree.resolve("part-" + i + ".bin"), 3L * MIB, i);
    }
    Cli.Result put = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "put", "-q", "-r", tree.toString(), bob);
    assertThat(put.exit()).as(put.toString()).isEqualTo(ExitCode.OK);

    Path copy = Files.createDirectories(work.resolve("copy"));
    Terminal run = onTerminal("get", "-r", "-j", "3", bob + ":tree", copy.toString());
    String shown = run.screen();
    assertThat(run.ended()).as("ferry ended: " + shown).isTrue();
    assertThat(run.exit()).as(shown).isEqualTo(ExitCode.OK);
    assertThat(TestFiles.tree(copy.resolve("tree"))).isEqualTo(TestFiles.tree(tree));
    // Redrawn in place (cursor up, lines cleared); each file's summary kept; the total at the end.
    assertThat(shown).contains("\033[2K").containsPattern("\033\\[\\d+A")
      .containsPattern("(?m)part-0\\.bin 100% 3\\.0 MiB .* in ").containsPattern("(?m)part-2\\.bin 100% 3\\.0 MiB .* in ")
      .contains("total: 3 files done, 100% 9.0 MiB/9.0 MiB");
  }

  private record Terminal(boolean ended, int exit, String screen) {
  }

  /** Runs the real {@code ferry} on a pseudo-terminal, as alice's password in the environment. */
  private Terminal onTerminal(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> words = new java.util.ArrayList<>(List.of(quote(java), "-cp", quote(System.getProperty("java.class.path")),
      Main.class.getName()));
    for (String arg : args) {
      words.add(quote(arg));
    }
    Path screen = work.resolve("screen.txt");
    ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/script", "-qec", String.join(" ", words), "/dev/null"))
      .redirectErrorStream(true)
      .redirectOutput(screen.toFile())
      .redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().put(FerryCli.ENV_CONFIG_DIR, config.toString());
    pb.environment().put(FerryCli.ENV_PASSWORD, Cli.ALICE_PASSWORD);
    pb.environment().put("LANG", "C.UTF-8");
    pb.environment().put("TERM", "xterm");
    Process process = pb.start();
    boolean ended = process.waitFor(60, TimeUnit.SECONDS);
    process.getOutputStream().close();
    if (!ended) {
      process.destroyForcibly();
    }
    return new Terminal(ended, ended ? process.exitValue() : -1, Files.readString(screen, StandardCharsets.UTF_8));
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
