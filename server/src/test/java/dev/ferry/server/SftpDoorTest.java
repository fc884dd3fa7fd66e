package dev.ferry.server;

import dev.ferry.sftp.SftpOptions;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ferry.server.WireTransfers.random;
import static dev.ferry.server.WireTransfers.sha256;
import static dev.ferry.server.WireTransfers.upload;
import static dev.ferry.server.WireTransfers.uploadData;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SFTP door of a real server process, used by real clients: OpenSSH's {@code sftp} and
 * {@code curl sftp://}. The same accounts, homes, confinement and quota as the Ferry protocol,
 * and files that cross from one door to the other unchanged.
 */
class SftpDoorTest {

  private static final String ADMIN_PASSWORD = "sftp-admin-pass-1";
  private static final String ALICE_PASSWORD = "alice-sftp-pass-1";
  private static final String BOB_PASSWORD = "bob-sftp-pass-1";
  private static final String CAROL_PASSWORD = "carol-sftp-pass-1";
  private static final long CAROL_QUOTA = 1_000_000;
  private static final String ERIN_PASSWORD = "erin-sftp-pass-1";
  private static final Pattern SFTP_LISTENING = Pattern.compile("ferry sftp listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern HOST_KEY = Pattern.compile("ferry sftp host key (SHA256:[A-Za-z0-9+/]{43}) \\(ECDSA\\)");
  private static final Pattern METRICS = Pattern.compile("ferry metrics and health on (http://\\S+)");

  @TempDir
  static Path work;
  static Path data;
  static ServerProcess server;
  static int sftpPort;
  static String hostKey;

  @BeforeAll
  static void start() throws Exception {
    data = work.resolve("data");
    server = ServerProcess.start(work, Map.of("FERRY_PORT", "0", "FERRY_SFTP_PORT", "0", "FERRY_DATA", data.toString(),
      "FERRY_ADMIN_PASSWORD", ADMIN_PASSWORD, "FERRY_PBKDF2_ITERATIONS", "10000"));
    sftpPort = Integer.parseInt(line(SFTP_LISTENING).group(1));
    hostKey = line(HOST_KEY).group(1);
    try (WireClient admin = WireClient.login(server.port, "admin", ADMIN_PASSWORD, "admin")) {
      assertThat(admin.call("useradd", "alice*" + ALICE_PASSWORD + "*user*1000000000")).isEqualTo("OK");
      assertThat(admin.call("useradd", "bob*" + BOB_PASSWORD + "*user*100000000")).isEqualTo("OK");
      assertThat(admin.call("useradd", "carol*" + CAROL_PASSWORD + "*user*" + CAROL_QUOTA)).isEqualTo("OK");
      assertThat(admin.call("useradd", "erin*" + ERIN_PASSWORD + "*user*" + CAROL_QUOTA)).isEqualTo("OK");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Matcher line(Pattern pattern) {
    return server.output.stream().map(pattern::matcher).filter(Matcher::matches).findFirst()
      .orElseThrow(() -> new AssertionError("no line " + pattern + " in " + server.output));
  }

  private static OpenSsh.Run alice(Path dir, String... commands) throws Exception {
    return OpenSsh.sftp(dir, sftpPort, "alice", ALICE_PASSWORD, null, commands);
  }

  @Test
  void theHostKeyIsKeptPrivateAndPrintedAsSshKeygenShowsIt() throws Exception {
    Path keyFile = data.resolve("ssh").resolve("host_ecdsa_key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    OpenSsh.Run scan = OpenSsh.run(work, Map.of(), List.of("ssh-keyscan", "-t", "ecdsa", "-p", Integer.toString(sftpPort), "127.0.0.1"));
    Path scanned = Files.writeString(work.resolve("scanned"), scan.output().lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow());
    OpenSsh.Run shown = OpenSsh.run(work, Map.of(), List.of("ssh-keygen", "-lf", scanned.toString()));
    assertThat(shown.output()).contains(" " + hostKey + " ");
    assertThat(line(Pattern.compile("ferry tls certificate (SHA256:[0-9a-f]{64})")).group(1))
      .isEqualTo("SHA256:" + tlsFingerprint());
  }

  @Test
  void aUserWorksInHerHomeWithOpenSshSftp(@TempDir Path dir) throws Exception {
    byte[] content = random(3_000_000, 1);
    Files.write(dir.resolve("local.bin"), content);
    OpenSsh.Run run = alice(dir, "pwd", "mkdir docs", "cd docs", "put local.bin report.bin", "ls -l", "get report.bin back.bin",
      "rename report.bin final.bin", "ls", "get final.bin again.bin", "rm final.bin", "ls -l", "cd ..", "rmdir docs", "ls");
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("Remote working directory: /").contains("3000000").contains("final.bin");
    assertThat(Files.readAllBytes(dir.resolve("back.bin"))).isEqualTo(content);
    assertThat(Files.readAllBytes(dir.resolve("again.bin"))).isEqualTo(content);
    assertThat(data.resolve("files/home/alice/docs")).doesNotExist();
  }

  @Test
  void anUploadCutOffByAKilledClientGoesOnWithReputAndADownloadWithReget(@TempDir Path dir) throws Exception {
    byte[] content = random(96 << 20, 2);
    Files.write(dir.resolve("big.bin"), content);
    Path batch = Files.writeString(dir.resolve("put.txt"), "put big.bin big.bin\n");
    Process client = OpenSsh.start(dir, Map.of("SSHPASS", ALICE_PASSWORD), List.of("sshpass", "-e", "sftp", "-P",
      Integer.toString(sftpPort), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
      "-o", "BatchMode=no", "-o", "PreferredAuthentications=password", "-b", batch.toString(), "alice@127.0.0.1"));
    double before = uploadedBytes();
    assertThat(Polling.within(Duration.ofSeconds(60), () -> uploadedBytes() - before >= 8 << 20 || !client.isAlive()))
      .as("condition not met within 60 s").isTrue();
    OpenSsh.kill(client);
    Path stored = data.resolve("files/home/alice/big.bin");
    // Published once the door has seen the connection go and its writes in flight have ended,
    // each within the door's service timeout.
    assertThat(Polling.within(SftpOptions.SERVICE_TIMEOUT.multipliedBy(3), () -> Files.exists(stored)))
      .as("condition not met within " + SftpOptions.SERVICE_TIMEOUT.multipliedBy(3)).isTrue();
    long kept = Files.size(stored);
    assertThat(kept).as("what arrived before the kill is published").isLessThan(content.length).isPositive();
    assertThat(Arrays.equals(Files.readAllBytes(stored), 0, (int) kept, content, 0, (int) kept)).isTrue();

    OpenSsh.Run reput = alice(dir, "reput big.bin big.bin");
    assertThat(reput.exit()).as(reput.output()).isZero();
    assertThat(Files.readAllBytes(stored)).isEqualTo(content);

    Files.write(dir.resolve("partly.bin"), Arrays.copyOf(content, 5_000_000));
    OpenSsh.Run reget = alice(dir, "reget big.bin partly.bin", "rm big.bin");
    assertThat(reget.exit()).as(reget.output()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("partly.bin"))).isEqualTo(content);
  }

  @Test
  void noPathLeadsOutOfTheHome(@TempDir Path dir) throws Exception {
    Path home = data.resolve("files/home/alice");
    Path bobs = data.resolve("files/home/bob");
    Files.writeString(bobs.resolve("secret.txt"), "bob's secret");
    Files.createSymbolicLink(home.resolve("etc"), Path.of("/etc"));
    Files.createSymbolicLink(home.resolve("up"), Path.of("../bob"));
    Files.createSymbolicLink(home.resolve("root"), data.resolve("files"));
    Files.createSymbolicLink(home.resolve("peek.txt"), bobs.resolve("secret.txt"));
    List<String> hostile = List.of("/../../etc/passwd", "../bob/secret.txt", "/home/bob/secret.txt", "etc/passwd", "up/secret.txt",
      "root/home/bob/secret.txt", "peek.txt", "..\\bob\\secret.txt", "/./../bob/secret.txt", "%2e%2e/bob/secret.txt");
    String[] gets = hostile.stream().map(p -> "-get \"" + p + "\" got.txt").toArray(String[]::new);
    OpenSsh.Run run = alice(dir, gets);
    assertThat(dir.resolve("got.txt")).as(run.output()).doesNotExist();
    OpenSsh.Run listing = alice(dir, "-ls -l ..", "-ls -l /home", "-ls -l up", "-ls -l root", "-ls -l ../..", "-cd ..", "pwd",
      "-put " + dir.resolve("batch").getParent().resolve("nothing") + " ../bob/planted.txt");
    assertThat(listing.output()).doesNotContain("secret.txt").doesNotContain("bob ").contains("Remote working directory: /");
    assertThat(bobs.resolve("planted.txt")).doesNotExist();
    try (var links = Files.list(home)) {
      links.filter(Files::isSymbolicLink).forEach(link -> link.toFile().delete());
    }
  }

  @Test
  void aUserCannotSeeAnotherHomeAndTheAdminSeesTheRoot(@TempDir Path dir) throws Exception {
    Files.writeString(data.resolve("files/home/bob/only-bob.txt"), "mine");
    OpenSsh.Run alice = alice(dir, "ls -la /", "-ls /home/bob", "-get /home/bob/only-bob.txt x.txt");
    assertThat(alice.output()).doesNotContain("only-bob.txt\n").doesNotContain("bob ");
    assertThat(dir.resolve("x.txt")).doesNotExist();
    OpenSsh.Run admin = OpenSsh.sftp(dir, sftpPort, "admin", ADMIN_PASSWORD, null, "ls /", "ls /home", "get /home/bob/only-bob.txt y.txt");
    assertThat(admin.exit()).as(admin.output()).isZero();
    assertThat(admin.output()).contains("home").contains("alice").contains("bob");
    assertThat(Files.readString(dir.resolve("y.txt"))).isEqualTo("mine");
    OpenSsh.Run wrong = OpenSsh.sftp(dir, sftpPort, "alice", "not-her-password", null, "ls");
    assertThat(wrong.exit()).isNotZero();
    assertThat(wrong.output()).contains("Permission denied");
  }

  @Test
  void aKeySetWithSetkeyLogsInAndOnlyForItsAccount(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("id_ed25519");
    assertThat(OpenSsh.run(dir, Map.of(), List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bob@laptop", "-f",
      key.toString())).exit()).isZero();
    String publicKey = Files.readString(dir.resolve("id_ed25519.pub")).trim();
    OpenSsh.Run before = OpenSsh.sftp(dir, sftpPort, "bob", null, key, "ls");
    assertThat(before.exit()).isNotZero();
    try (WireClient bob = WireClient.login(server.port, "bob", BOB_PASSWORD, "user")) {
      assertThat(bob.call("setkey", "alice*" + publicKey)).isEqualTo("没有访问权限!");
      assertThat(bob.call("setkey", "bob*ssh-ed25519 not-a-key")).isEqualTo("BAD_ARGUMENTS");
      assertThat(bob.call("setkey", "bob*" + publicKey)).isEqualTo("OK");
    }
    Files.writeString(data.resolve("files/home/bob/by-key.txt"), "hello bob");
    OpenSsh.Run bob = OpenSsh.sftp(dir, sftpPort, "bob", null, key, "pwd", "get by-key.txt");
    assertThat(bob.exit()).as(bob.output()).isZero();
    assertThat(Files.readString(dir.resolve("by-key.txt"))).isEqualTo("hello bob");
    assertThat(OpenSsh.sftp(dir, sftpPort, "alice", null, key, "ls").exit()).as("bob's key is not alice's").isNotZero();
    try (WireClient admin = WireClient.login(server.port, "admin", ADMIN_PASSWORD, "admin")) {
      assertThat(admin.call("setkey", "bob*")).isEqualTo("OK");
    }
    assertThat(OpenSsh.sftp(dir, sftpPort, "bob", null, key, "ls").exit()).as("keys removed").isNotZero();
  }

  @Test
  void anUploadOverQuotaFailsClearlyAndLeavesNothingCounted(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("small.bin"), random(300_000, 3));
    Files.write(dir.resolve("large.bin"), random(3_000_000, 4));
    OpenSsh.Run run = OpenSsh.sftp(dir, sftpPort, "carol", CAROL_PASSWORD, null, "put small.bin", "put large.bin", "ls -l");
    assertThat(run.exit()).as(run.output()).isNotZero();
    // OpenSSH shows the status code only; the message "quota exceeded" goes with it.
    assertThat(run.output()).contains("Failure");
    assertThat(data.resolve("files/home/carol/large.bin")).doesNotExist();
    try (WireClient carol = WireClient.login(server.port, "carol", CAROL_PASSWORD, "user")) {
      assertThat(carol.call("quota", "")).isEqualTo("300000*" + CAROL_QUOTA);
    }
  }

  @Test
  void aFileCrossesBetweenTheDoorsUnchanged(@TempDir Path dir) throws Exception {
    byte[] bySftp = random(2_500_000, 5);
    Files.write(dir.resolve("by-sftp.bin"), bySftp);
    assertThat(alice(dir, "put by-sftp.bin").exit()).isZero();
    byte[] byFerry = random(1_700_000, 6);
    try (WireClient alice = WireClient.login(server.port, "alice", ALICE_PASSWORD, "user")) {
      WireTransfers.Downloaded got = WireTransfers.download(alice, "/home/alice/by-sftp.bin", 0);
      assertThat(got.sha256()).isEqualTo(sha256(bySftp));
      assertThat(got.bytes()).isEqualTo(bySftp);
      assertThat(upload(alice, uploadData("/home/alice", "by-ferry.bin", byFerry, false), byFerry)).startsWith("SUCCESS");
    }
    OpenSsh.Run run = alice(dir, "get by-ferry.bin", "rm by-ferry.bin", "rm by-sftp.bin");
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(sha256(Files.readAllBytes(dir.resolve("by-ferry.bin")))).isEqualTo(sha256(byFerry));
  }

  @Test
  void curlIsASecondClient(@TempDir Path dir) throws Exception {
    OpenSsh.Run version = OpenSsh.run(dir, Map.of(), List.of("curl", "-V"));
    assertThat(version.output()).as("curl built with SFTP").containsPattern("Protocols:.* sftp");
    byte[] content = random(1_234_567, 7);
    Files.write(dir.resolve("up.bin"), content);
    // curl checks the host key against the printed fingerprint (base64, padded as it wants).
    String pin = hostKey.substring("SHA256:".length()) + "=";
    String url = "sftp://127.0.0.1:" + sftpPort + "/";
    OpenSsh.Run put = OpenSsh.run(dir, Map.of(), List.of("curl", "-sS", "--hostpubsha256", pin, "-u", "alice:" + ALICE_PASSWORD,
      "-T", "up.bin", url + "by-curl.bin"));
    assertThat(put.exit()).as(put.output()).isZero();
    OpenSsh.Run get = OpenSsh.run(dir, Map.of(), List.of("curl", "-sS", "--hostpubsha256", pin, "-u", "alice:" + ALICE_PASSWORD,
      "-o", "down.bin", url + "by-curl.bin"));
    assertThat(get.exit()).as(get.output()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("down.bin"))).isEqualTo(content);
    OpenSsh.Run wrongPin = OpenSsh.run(dir, Map.of(), List.of("curl", "-sS", "--hostpubsha256", "A".repeat(43) + "=",
      "-u", "alice:" + ALICE_PASSWORD, url + "by-curl.bin"));
    assertThat(wrongPin.exit()).isNotZero();
  }

  @Test
  void checkFileAnswersTheStoredDigestAndAnOverQuotaWriteSaysSo() throws Exception {
    byte[] content = random(700_000, 9);
    Files.write(data.resolve("files/home/erin/hashed.bin"), content);
    try (org.apache.sshd.client.SshClient client = org.apache.sshd.client.SshClient.setUpDefaultClient()) {
      client.setServerKeyVerifier((session, address, key) -> hostKey.equals(
        org.apache.sshd.common.config.keys.KeyUtils.getFingerPrint(org.apache.sshd.common.digest.BuiltinDigests.sha256, key)));
      client.start();
      try (org.apache.sshd.client.session.ClientSession session = client.connect("erin", "127.0.0.1", sftpPort)
        .verify(Duration.ofSeconds(30)).getSession()) {
        session.addPasswordIdentity(ERIN_PASSWORD);
        session.auth().verify(Duration.ofSeconds(30));
        try (org.apache.sshd.sftp.client.SftpClient sftp = org.apache.sshd.sftp.client.SftpClientFactory.instance().createSftpClient(session)) {
          var check = sftp.getExtension(org.apache.sshd.sftp.client.extensions.CheckFileNameExtension.class);
          Map.Entry<String, java.util.Collection<byte[]>> answer = check.checkFileName("/hashed.bin", List.of("sha256"), 0, 0, 0);
          assertThat(answer.getKey()).isEqualTo("sha256");
          assertThat(java.util.HexFormat.of().formatHex(answer.getValue().iterator().next())).isEqualTo(sha256(content));
          sftp.remove("/hashed.bin");
          org.apache.sshd.sftp.common.SftpException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
            org.apache.sshd.sftp.common.SftpException.class, () -> {
              try (var out = sftp.write("/too-big.bin")) {
                out.write(random(3_000_000, 10));
              }
            });
          assertThat(refused).isNotNull();
          assertThat(refused.getStatus()).isEqualTo(org.apache.sshd.sftp.common.SftpConstants.SSH_FX_FAILURE);
          assertThat(refused.getMessage()).contains("quota exceeded");
        }
      }
    }
  }

  @Test
  void theDoorCountsSessionsBytesAndFilesOnMetrics(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("m.bin"), random(100_000, 8));
    assertThat(alice(dir, "put m.bin", "get m.bin m2.bin", "rm m.bin").exit()).isZero();
    String metrics = metrics();
    assertThat(metrics).contains("ferry_sftp_sessions_open").contains("ferry_sftp_logins_total{method=\"password\",result=\"ok\"}")
      .contains("ferry_sftp_files_total{direction=\"upload\",result=\"success\"}");
    assertThat(uploadedBytes()).isGreaterThanOrEqualTo(100_000);
  }

  private static String tlsFingerprint() throws Exception {
    try (WireClient client = WireClient.connect(server.port)) {
      return client.serverFingerprint();
    }
  }

  private static String metrics() throws Exception {
    String base = line(METRICS).group(1);
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
      HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  private static double uploadedBytes() {
    try {
      return metrics().lines().filter(l -> l.startsWith("ferry_sftp_bytes_total{direction=\"upload\"")).findFirst()
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
