package dev.ferry.client;

import dev.ferry.server.FerryServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Trust on first use of the server certificate, against a real TLS server; and --no-tls. */
@ExtendWith(VertxExtension.class)
class KnownServersCheckTest {

  private static final String OTHER_FINGERPRINT = "SHA256:" + "00".repeat(32);

  @TempDir
  static Path data;
  @TempDir
  static Path plainData;
  private static FerryServer server;
  private static FerryServer plainServer;

  @TempDir
  Path config;

  @BeforeAll
  static void startServers(Vertx vertx, VertxTestContext ctx) {
    FerryServer.start(vertx, Cli.serverConfig(data))
      .compose(s -> {
        server = s;
        return FerryServer.start(vertx, Cli.serverConfig(plainData).put("tls", false));
      })
      .onComplete(ctx.succeeding(s -> {
        plainServer = s;
        ctx.completeNow();
      }));
  }

  @AfterAll
  static void stopServers(VertxTestContext ctx) {
    server.close().compose(v -> plainServer.close()).onComplete(ctx.succeedingThenComplete());
  }

  private String admin() {
    return "admin@127.0.0.1:" + server.port();
  }

  private Map<String, String> env() {
    return Cli.env(config, Cli.ADMIN_PASSWORD);
  }

  private Path knownServers() {
    return config.resolve("known_servers");
  }

  @Test
  void firstConnectionRecordsTheFingerprintWithANotice() throws Exception {
    Cli.Result r = Cli.run(env(), "--admin", "pwd", admin());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).isEqualTo("/\n");
    assertThat(r.err()).contains("notice: first connection to 127.0.0.1:" + server.port());
    List<String> lines = Files.readAllLines(knownServers());
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).matches("127\\.0\\.0\\.1:" + server.port() + " SHA256:[0-9a-f]{64}");
    assertThat(r.err()).contains(lines.get(0).substring(lines.get(0).indexOf(' ') + 1));

    Cli.Result again = Cli.run(env(), "--admin", "pwd", admin());
    assertThat(again.exit()).isEqualTo(ExitCode.OK);
    assertThat(again.err()).as("a known server is not announced again").isEmpty();
    assertThat(Files.readAllLines(knownServers())).isEqualTo(lines);
  }

  @Test
  void aChangedCertificateIsRefusedLoudlyBeforeAnythingIsSent() throws Exception {
    assertThat(Cli.run(env(), "--admin", "pwd", admin()).exit()).isEqualTo(ExitCode.OK);
    String real = Files.readString(knownServers());
    String key = "127.0.0.1:" + server.port();
    Files.writeString(knownServers(), key + " " + OTHER_FINGERPRINT + "\n");

    // The wrong password would show as a login failure if anything reached the server.
    Cli.Result r = Cli.run(Cli.env(config, "not-even-asked"), "--admin", "pwd", admin());

    assertThat(r.exit()).isEqualTo(ExitCode.CONNECTION);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
      .contains("WARNING: THE CERTIFICATE OF SERVER " + key + " HAS CHANGED!")
      .contains("man-in-the-middle")
      .contains("recorded:  " + OTHER_FINGERPRINT)
      .contains("presented: " + real.substring(real.indexOf(' ') + 1).strip())
      .contains("--accept-new-certificate")
      .contains(knownServers().toString())
      .doesNotContain("login");
    assertThat(Files.readString(knownServers())).as("left as it was").isEqualTo(key + " " + OTHER_FINGERPRINT + "\n");
  }

  @Test
  void aChangedCertificateIsAcceptedWhenAskedFor() throws Exception {
    assertThat(Cli.run(env(), "--admin", "pwd", admin()).exit()).isEqualTo(ExitCode.OK);
    String real = Files.readString(knownServers());
    String key = "127.0.0.1:" + server.port();
    Files.writeString(knownServers(), "# kept\n" + key + " " + OTHER_FINGERPRINT + "\n");

    Cli.Result r = Cli.run(env(), "--admin", "--accept-new-certificate", "pwd", admin());

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).isEqualTo("/\n");
    assertThat(r.err()).contains("the certificate of " + key + " changed from " + OTHER_FINGERPRINT);
    assertThat(Files.readString(knownServers())).isEqualTo("# kept\n" + real);
    assertThat(Cli.run(env(), "--admin", "pwd", admin()).exit()).isEqualTo(ExitCode.OK);
  }

  @Test
  void plainServersNeedNoTls() {
    String target = "admin@127.0.0.1:" + plainServer.port();
    Cli.Result plain = Cli.run(env(), "--admin", "--no-tls", "pwd", target);
    assertThat(plain.exit()).as(plain.toString()).isEqualTo(ExitCode.OK);
    assertThat(plain.out()).isEqualTo("/\n");
    assertThat(knownServers()).doesNotExist();

    Cli.Result tlsToPlain = Cli.run(env(), "--admin", "pwd", target);
    assertThat(tlsToPlain.exit()).isEqualTo(ExitCode.CONNECTION);
    assertThat(tlsToPlain.err()).contains("--no-tls");
  }
}
