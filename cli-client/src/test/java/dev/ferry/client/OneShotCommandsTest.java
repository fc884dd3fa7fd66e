package dev.ferry.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One-shot commands against a real server with TLS on. */
class OneShotCommandsTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withAlice("1000000");

  @TempDir
  Path config;

  private String at(String account) {
    return account + "@127.0.0.1:" + server.port();
  }

  private Map<String, String> alice() {
    return Cli.env(config, Cli.ALICE_PASSWORD);
  }

  @Test
  void adminCreatesAnAccountOneShotAndTheUserLogsIn() {
    Cli.Result add = Cli.piped(Cli.env(config, Cli.ADMIN_PASSWORD), "carol-pass-1\n",
      "--admin", "useradd", at("admin"), "carol", "user", "2M");
    assertThat(add.exit()).as(add.toString()).isEqualTo(ExitCode.OK);
    assertThat(add.out()).contains("account carol created (role user, quota 2.0 MiB)");

    Cli.Result ls = Cli.run(Cli.env(config, "carol-pass-1"), "ls", at("carol") + ":");
    assertThat(ls.exit()).as(ls.toString()).isEqualTo(ExitCode.OK);
    assertThat(ls.out()).isEqualTo("(empty directory)\n");

    Cli.Result users = Cli.run(Cli.env(config, Cli.ADMIN_PASSWORD), "--admin", "users", at("admin"));
    assertThat(users.exit()).as(users.toString()).isEqualTo(ExitCode.OK);
    assertThat(users.out()).containsPattern("(?m)^ACCOUNT\\s+ROLE\\s+LOCKED\\s+USED\\s+QUOTA\\s+USE%$");
    assertThat(users.out()).containsPattern("(?m)^carol\\s+user\\s+no\\s+0 B\\s+2\\.0 MiB\\s+0%$");
    assertThat(users.out()).containsPattern("(?m)^admin\\s+admin\\s+no\\s+\\S+ [KMG]?i?B\\s+unlimited\\s+-$");
  }

  @Test
  void aliceMakesAndListsDirectories() {
    assertThat(Cli.run(alice(), "mkdir", at("alice") + ":one-shot").exit()).isEqualTo(ExitCode.OK);
    assertThat(Cli.run(alice(), "mkdir", at("alice") + ":one-shot/inner").exit()).isEqualTo(ExitCode.OK);

    Cli.Result ls = Cli.run(alice(), "ls", at("alice") + ":/home/alice/one-shot");
    assertThat(ls.exit()).as(ls.toString()).isEqualTo(ExitCode.OK);
    assertThat(ls.out()).containsPattern("(?m)^TYPE\\s+SIZE\\s+MODIFIED\\s+NAME$");
    assertThat(ls.out()).containsPattern("(?m)^dir\\s+-\\s+\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}\\s+inner/$");

    Cli.Result mv = Cli.run(alice(), "mv", at("alice") + ":one-shot/inner", at("alice") + ":one-shot/renamed");
    assertThat(mv.exit()).as(mv.toString()).isEqualTo(ExitCode.OK);
    assertThat(Cli.run(alice(), "ls", at("alice") + ":one-shot").out()).contains("renamed/").doesNotContain("inner/");
    assertThat(Cli.run(alice(), "rm", at("alice") + ":one-shot/renamed").exit()).isEqualTo(ExitCode.OK);
    assertThat(Cli.run(alice(), "ls", at("alice") + ":one-shot").out()).isEqualTo("(empty directory)\n");
  }

  @Test
  void quotaIsOnePlainLineWhenPiped() {
    // The bar is for a terminal (see PipedShellTest); a pipe gets a line a script can read.
    Cli.Result quota = Cli.run(alice(), "quota", at("alice"));
    assertThat(quota.exit()).as(quota.toString()).isEqualTo(ExitCode.OK);
    assertThat(quota.out()).matches("alice: used \\d+(\\.\\d)? [KMG]?i?B of 976\\.6 KiB \\(\\d+%\\)\\n");

    Map<String, String> chinese = alice();
    chinese.put("LANG", "zh_CN.UTF-8");
    Cli.Result zh = Cli.run(chinese, "quota", at("alice"));
    assertThat(zh.out()).matches("alice：已用 \\d+(\\.\\d)? [KMG]?i?B，共 976\\.6 KiB（\\d+%）\\n");
  }

  @Test
  void noLimitIsSaidWithoutAPercentage() {
    Cli.Result quota = Cli.run(Cli.env(config, Cli.ADMIN_PASSWORD), "--admin", "quota", at("admin"));
    assertThat(quota.exit()).as(quota.toString()).isEqualTo(ExitCode.OK);
    assertThat(quota.out()).matches("admin: used \\d+(\\.\\d)? [KMG]?i?B, unlimited\\n");
  }

  @Test
  void anAdminSeesAnotherAccountsQuota() {
    Cli.Result quota = Cli.run(Cli.env(config, Cli.ADMIN_PASSWORD), "--admin", "quota", at("admin"), "alice");
    assertThat(quota.exit()).as(quota.toString()).isEqualTo(ExitCode.OK);
    assertThat(quota.out()).matches("alice: used \\S+ [KMG]?i?B of 976\\.6 KiB \\(\\d+%\\)\\n");

    Cli.Result nobody = Cli.run(Cli.env(config, Cli.ADMIN_PASSWORD), "--admin", "quota", at("admin"), "nobody");
    assertThat(nobody.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(nobody.err()).containsPattern("(?m)^ferry: no such account$");
  }

  @Test
  void recountShowsTheRecountedUsageLikeQuota() {
    Cli.Result recount = Cli.run(Cli.env(config, Cli.ADMIN_PASSWORD), "--admin", "recount", at("admin"), "alice");
    assertThat(recount.exit()).as(recount.toString()).isEqualTo(ExitCode.OK);
    assertThat(recount.out()).matches("alice: used \\S+ [KMG]?i?B of 976\\.6 KiB \\(\\d+%\\)\\n");
    Cli.Result quota = Cli.run(alice(), "quota", at("alice"));
    assertThat(quota.out()).as("quota agrees with a fresh recount").isEqualTo(recount.out());
  }

  @Test
  void recountOfNoSuchAccount() {
    Cli.Result r = Cli.run(Cli.env(config, Cli.ADMIN_PASSWORD), "--admin", "recount", at("admin"), "nobody");
    assertThat(r.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(r.err()).containsPattern("(?m)^ferry: no such account$");
  }

  @Test
  void recountIsForAdmins() {
    Cli.Result r = Cli.run(alice(), "recount", at("alice"), "alice");
    assertThat(r.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(r.err()).containsPattern("(?m)^ferry: permission denied \\(没有访问权限!\\)$");

    Cli.Result usage = Cli.run(alice(), "recount", at("alice"));
    assertThat(usage.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(usage.err()).contains("usage: recount ACCOUNT");
  }

  @Test
  void setkeySetsAUsersOwnKeyAndOnlyAnAdminSetsAnothers() {
    String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f alice@laptop";
    Cli.Result own = Cli.run(alice(), "setkey", at("alice"), "alice", key);
    assertThat(own.exit()).as(own.toString()).isEqualTo(ExitCode.OK);
    assertThat(own.out()).isEqualTo("SSH key of account alice set\n");
    Cli.Result other = Cli.run(alice(), "setkey", at("alice"), "bob", key);
    assertThat(other.exit()).isEqualTo(ExitCode.REFUSED);
    Cli.Result removed = Cli.run(Cli.env(config, Cli.ADMIN_PASSWORD), "--admin", "setkey", at("admin"), "alice");
    assertThat(removed.exit()).as(removed.toString()).isEqualTo(ExitCode.OK);
    assertThat(removed.out()).isEqualTo("SSH keys of account alice removed\n");
  }

  @Test
  void permissionDeniedIsShownInPlainWords() {
    Cli.Result r = Cli.run(alice(), "ls", at("alice") + ":/home/bob");
    assertThat(r.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(r.err()).contains("ferry: permission denied (没有访问权限!)");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void missingPathIsShownInPlainWordsAndInChinese() {
    Cli.Result en = Cli.run(alice(), "cd", at("alice") + ":no-such-dir");
    assertThat(en.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(en.err()).contains("ferry: no such path (路径不存在!)");

    Map<String, String> chinese = alice();
    chinese.put("LANG", "zh_CN.UTF-8");
    Cli.Result zh = Cli.run(chinese, "ls", at("alice") + ":/home/bob");
    assertThat(zh.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(zh.err()).contains("ferry: 没有访问权限!");
  }

  @Test
  void aUserCannotRunAdminCommands() {
    Cli.Result r = Cli.run(alice(), "users", at("alice"));
    assertThat(r.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(r.err()).contains("permission denied");
  }

  @Test
  void wrongPasswordIsALoginFailure() {
    Cli.Result r = Cli.run(Cli.env(config, "not-the-password"), "ls", at("alice") + ":");
    assertThat(r.exit()).isEqualTo(ExitCode.CONNECTION);
    assertThat(r.err()).contains("login as alice@127.0.0.1:" + server.port() + " refused: wrong account or password");
  }

  @Test
  void passwordIsReadFromTheFirstInputLineWhenNotInTheEnvironment() {
    Cli.Result r = Cli.piped(Cli.env(config, null), Cli.ALICE_PASSWORD + "\n", "pwd", at("alice"));
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).isEqualTo("/home/alice\n");
  }

  @Test
  void checksumOfAMissingFile() {
    Cli.Result r = Cli.run(alice(), "checksum", at("alice") + ":nothing.txt");
    assertThat(r.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(r.err()).contains("no such file");
  }

  @Test
  void usageErrorsAreCaughtBeforeConnecting() {
    Cli.Result missingPath = Cli.run(alice(), "mkdir", at("alice"));
    assertThat(missingPath.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(missingPath.err()).contains("usage: mkdir PATH");

    Cli.Result badRole = Cli.run(alice(), "useradd", at("admin"), "dave", "boss", "1G");
    assertThat(badRole.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(badRole.err()).contains("role must be admin or user");

    Cli.Result passwordArgument = Cli.run(Cli.env(config, Cli.ADMIN_PASSWORD), "--admin", "useradd", at("admin"), "dave",
      "user", "1G", "dave-pass-1");
    assertThat(passwordArgument.exit()).as("a password is never taken from the command line").isEqualTo(ExitCode.USAGE);
    assertThat(passwordArgument.err()).contains("usage: useradd ACCOUNT ROLE QUOTA");

    Cli.Result unknown = Cli.run(alice(), "frobnicate", at("alice"));
    assertThat(unknown.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(unknown.err()).contains("unknown command: frobnicate");

    // Nothing was ever sent: no connection, so no certificate was recorded either.
    assertThat(config.resolve("known_servers")).doesNotExist();
  }

  @Test
  void nothingListeningIsAConnectionFailure() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Cli.Result r = Cli.run(alice(), "ls", "alice@127.0.0.1:" + closedPort + ":");
    assertThat(r.exit()).isEqualTo(ExitCode.CONNECTION);
    assertThat(r.err()).contains("cannot connect to 127.0.0.1:" + closedPort);
  }
}
