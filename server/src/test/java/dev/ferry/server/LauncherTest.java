package dev.ferry.server;

import dev.ferry.protocol.store.PrivateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher as a real process: settings from YAML and environment, TLS material, SIGTERM. */
class LauncherTest {

  @TempDir
  Path work;

  @Test
  void startsPrintsItsPortKeepsItsCertificateAndStopsOnSigterm() throws Exception {
    Path data = work.resolve("data");
    Map<String, String> env = Map.of("FERRY_PORT", "0", "FERRY_DATA", data.toString(), "FERRY_ADMIN_PASSWORD", "launcher-pass-1",
      "FERRY_PBKDF2_ITERATIONS", "10000");
    String firstFingerprint;
    try (ServerProcess server = ServerProcess.start(work, env)) {
      assertThat(server.output).anyMatch(l -> l.equals("ferry listening on 127.0.0.1:" + server.port));
      assertThat(String.join("\n", server.output)).doesNotContain("launcher-pass-1");
      firstFingerprint = fingerprint(server.port);
      try (WireClient admin = WireClient.login(server.port, "admin", "launcher-pass-1", "admin")) {
        assertThat(admin.call("pwd", "")).isEqualTo("/");
      }
      // The ops port: the launcher prints it; ready (every service answers) and a login counted.
      String ops = server.output.stream().filter(l -> l.startsWith("ferry metrics and health on ")).findFirst().orElseThrow()
        .substring("ferry metrics and health on ".length());
      assertThat(httpGet(ops + "/health/ready")).startsWith("200 ");
      assertThat(httpGet(ops + "/metrics")).contains("ferry_logins_total{result=\"ok\"} 1.0");
      assertThat(server.terminate()).isIn(0, 143);
      assertThat(server.output).contains("ferry stopped");
    }
    assertThat(Files.exists(data.resolve("tls/server.crt"))).isTrue();
    assertThat(Files.exists(data.resolve("users.json"))).isTrue();
    // Private from creation: directories 0700, the password hashes and the TLS key 0600.
    for (String dir : new String[] {"", "files", "files/home", "partial", "digests", "tls"}) {
      assertThat(Files.getPosixFilePermissions(data.resolve(dir))).as("data/" + dir).isEqualTo(PrivateFiles.DIRECTORY);
    }
    for (String file : new String[] {"users.json", "tls/server.key"}) {
      assertThat(Files.getPosixFilePermissions(data.resolve(file))).as(file).isEqualTo(PrivateFiles.FILE);
    }
    try (ServerProcess again = ServerProcess.start(work, env)) {
      assertThat(fingerprint(again.port)).as("the generated certificate is reused").isEqualTo(firstFingerprint);
      again.terminate();
    }
  }

  /** The status code, a space and the body of a GET. */
  private static String httpGet(String url) throws Exception {
    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
      .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  @Test
  void generatesAndPrintsTheAdminPasswordOnceWhenNoneIsGiven() throws Exception {
    Path data = work.resolve("data");
    Map<String, String> env = Map.of("FERRY_PORT", "0", "FERRY_DATA", data.toString(), "FERRY_PBKDF2_ITERATIONS", "10000");
    String password;
    try (ServerProcess server = ServerProcess.start(work, env)) {
      String line = server.output.stream().filter(l -> l.contains("created account admin with password")).findFirst().orElseThrow();
      password = line.replaceAll(".*with password (\\S+).*", "$1");
      WireClient.login(server.port, "admin", password, "admin").close();
      server.terminate();
    }
    try (ServerProcess server = ServerProcess.start(work, env)) {
      assertThat(server.output).noneMatch(l -> l.contains("created account admin"));
      WireClient.login(server.port, "admin", password, "admin").close();
      server.terminate();
    }
  }

  @Test
  void yamlSettingsAreOverriddenByTheEnvironment() throws Exception {
    Path data = work.resolve("yaml-data");
    Path config = work.resolve("ferry.yaml");
    Files.writeString(config, "port: 0\ndata: " + data + "\nadminPassword: yaml-pass-1\ntls: true\npbkdf2Iterations: 10000\n");
    Map<String, String> env = Map.of("FERRY_ADMIN_PASSWORD", "env-pass-12");
    try (ServerProcess server = ServerProcess.start(work, env, "--config", config.toString())) {
      WireClient.login(server.port, "admin", "env-pass-12", "admin").close();
      server.terminate();
    }
    assertThat(Files.exists(data.resolve("users.json"))).as("data from the YAML file").isTrue();
  }

  private static String fingerprint(int port) throws Exception {
    try (WireClient client = WireClient.connect(port)) {
      return client.serverFingerprint();
    }
  }
}
