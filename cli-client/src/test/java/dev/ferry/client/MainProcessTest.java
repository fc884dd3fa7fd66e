package dev.ferry.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Main} as a real separate process, stdin piped, as bin/ferry runs it. */
class MainProcessTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withoutUsers();

  @TempDir
  Path config;

  @Test
  void mainRunsAPipedShellAndExitsWithItsCode() throws Exception {
    Cli.addUser(config, server.port(), "alice", Cli.ALICE_PASSWORD, "1000000");
    Path out = config.resolve("stdout.txt");
    Path err = config.resolve("stderr.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
      Main.class.getName(), "alice@127.0.0.1:" + server.port()))
      .redirectOutput(out.toFile())
      .redirectError(err.toFile());
    Cli.inChildProcess(pb, config, Cli.ALICE_PASSWORD);
    Process process = pb.start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write("mkdir from-process\ncd from-process\npwd\ncd /home/bob\npwd\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process ended").isTrue();

    String stdout = Files.readString(out);
    String stderr = Files.readString(err);
    assertThat(process.exitValue()).as(stderr).isEqualTo(ExitCode.REFUSED);
    assertThat(stdout).isEqualTo("/home/alice/from-process\n");
    assertThat(stderr).contains("ferry: permission denied");
  }
}
