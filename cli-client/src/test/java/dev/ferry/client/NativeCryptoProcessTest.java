package dev.ferry.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The client as bin/ferry starts it on Linux x86-64: only the C1 compiler, and the native digest
 * and TLS engine loaded from the build's copies of their libraries (target/native). The JVM's
 * temporary directory and netty's working directory are a file, so neither can fall back to
 * writing its library there. A put and a get then verify their SHA-256 with it, over TLS.
 */
class NativeCryptoProcessTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withAlice("100000000");

  @TempDir
  Path dir;

  @Test
  void transfersVerifyWithTheNativeLibrariesLoadedFromTheBuildsCopies() throws Exception {
    assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"));
    Path library = Path.of("target", "native", "libamazonCorrettoCryptoProvider.so").toAbsolutePath();
    assertThat(library).as("unpacked by the build").isRegularFile();
    assertThat(library.resolveSibling("libnetty_tcnative_linux_x86_64.so")).as("unpacked by the build").isRegularFile();
    Path tmp = Files.writeString(dir.resolve("tmp-is-a-file"), "");
    Path config = Files.createDirectory(dir.resolve("config"));

    assertThat(ferry(library, tmp, config, "--version"))
      .contains("SHA-256: AmazonCorrettoCryptoProvider").contains("TLS: BoringSSL");

    Path file = dir.resolve("data.bin");
    byte[] bytes = new byte[5 << 20];
    new Random(3).nextBytes(bytes);
    Files.write(file, bytes);
    String at = "alice@127.0.0.1:" + server.port();
    ferry(library, tmp, config, "--accept-new-certificate", "put", "-q", file.toString(), at);
    Path back = dir.resolve("back.bin");
    ferry(library, tmp, config, "get", "-q", at + ":data.bin", back.toString());
    assertThat(Files.readAllBytes(back)).isEqualTo(bytes);
  }

  @Test
  void aCommandDoesNotSetUpFlightRecorderEvents() throws Exception {
    Path config = Files.createDirectory(dir.resolve("config"));
    Path classes = dir.resolve("classes.txt");
    ferry(List.of("-Xlog:class+load=info:file=" + classes), config, "--accept-new-certificate", "ls",
      "alice@127.0.0.1:" + server.port());
    // Loaded once an event class is registered: netty's allocator would do so on its first buffer.
    assertThat(Files.readString(classes)).contains("io.netty.buffer.PooledByteBufAllocator ")
      .doesNotContain("jdk.jfr.internal.PlatformEventType ");
  }

  /** Runs the client in a JVM of its own with bin/ferry's options; answers its standard output. */
  private static String ferry(Path library, Path tmp, Path config, String... args) throws IOException, InterruptedException {
    return ferry(List.of("-XX:TieredStopAtLevel=1", "-Djava.library.path=" + library.getParent(),
      "-Dcom.amazon.corretto.crypto.provider.useExternalLib=true", "-Djava.io.tmpdir=" + tmp,
      "-Dio.netty.native.workdir=" + tmp), config, args);
  }

  private static String ferry(List<String> jvmOptions, Path config, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-XX:+UseSerialGC"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(config, "out", ".txt");
    Path err = Files.createTempFile(config, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    Cli.inChildProcess(pb, config, Cli.ALICE_PASSWORD);
    Process process = pb.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process ended").isTrue();
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(stderr).isEqualTo(ExitCode.OK);
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
