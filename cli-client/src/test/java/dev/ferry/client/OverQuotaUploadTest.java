package dev.ferry.client;

import dev.ferry.protocol.Command;
import dev.ferry.protocol.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quota answers that end an upload (PROTOCOL.md sections 5 and 6), end to end: a real
 * server behind a relay that turns one of its answers into {@code NOT_READY*QUOTA_EXCEEDED*...}
 * or {@code FAILE*<stored>*QUOTA_EXCEEDED}, as a server enforcing quotas answers. The user reads
 * the used and limit in plain sizes, the command fails, and the upload is not sent again.
 */
class OverQuotaUploadTest {

  private static final long KIB = 1024;

  @RegisterExtension
  static final RunningServer server = RunningServer.withAliceWithoutTls("1000000");

  @RegisterExtension
  static final AnswerRewritingRelay relay = AnswerRewritingRelay.inFrontOf(server);

  @TempDir
  Path config;
  @TempDir
  Path work;

  private String at(String account) {
    return account + "@127.0.0.1:" + relay.port();
  }

  /** The first answer of {@code cmd} starting with {@code prefix} becomes {@code data}; the rest pass. */
  private static void replaceFirst(Command cmd, String prefix, String data) {
    AtomicBoolean done = new AtomicBoolean();
    relay.rewrite(h -> h.cmd().equals(cmd.wire()) && h.data().startsWith(prefix) && done.compareAndSet(false, true)
      ? Header.reply(h.account(), h.cmd(), data)
      : h);
  }

  @Test
  void aQuotaFailureDuringAnUploadSaysUsedAndLimitAndIsNotSentAgain() throws Exception {
    Path first = TestFiles.random(work.resolve("over-a.bin"), 300 * KIB, 41);
    Path second = TestFiles.random(work.resolve("over-b.bin"), 10 * KIB, 42);
    // The bare form PROTOCOL.md gives: the client asks for the numbers itself.
    replaceFirst(Command.UPLOADING, "SUCCESS*", "FAILE*" + 300 * KIB + "*QUOTA_EXCEEDED");

    // One file at a time on one connection: the first file's answer is the one replaced.
    Cli.Result r = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "put", "-j", "1", first.toString(),
      second.toString(), at("alice"));

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.REFUSED);
    assertThat(r.err()).containsPattern("(?m)^ferry: \\S*/over-a\\.bin: quota exceeded during the upload: \\d+(\\.\\d)? [KMG]?i?B"
        + " of 976\\.6 KiB used; the 300\\.0 KiB stored are kept: free some space or ask for a larger quota, then run the"
        + " command again to resume$")
      .contains("1 failed, 1 transferred")
      .doesNotContain("reconnecting");
    // Asked on the same connection, which stayed in step: the second file still went.
    assertThat(relay.sent()).containsSubsequence("upload", "quota", "upload");
    assertThat(Collections.frequency(relay.sent(), "upload")).isEqualTo(2);
    assertThat(Collections.frequency(relay.sent(), "login")).as("no reconnection").isEqualTo(1);
  }

  @Test
  void aQuotaRefusalNamesTheAccountAnAdminUploadCountsAgainst() throws Exception {
    Path file = TestFiles.random(work.resolve("refused.bin"), 100 * KIB, 43);
    replaceFirst(Command.UPLOAD, "READY*", "NOT_READY*QUOTA_EXCEEDED*1048576*2097152");

    Cli.Result r = Cli.run(Cli.env(config, Cli.ADMIN_PASSWORD), "--admin", "--no-tls", "put", file.toString(),
      at("admin") + ":/home/alice");

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.REFUSED);
    assertThat(r.err()).isEqualTo("ferry: " + file + ": quota of alice exceeded: 1.0 MiB of 2.0 MiB used, and the file"
      + " needs 100.0 KiB\n");
    assertThat(relay.sent()).containsExactly("login", "upload", "logout");
  }

  @Test
  void withoutNumbersInTheAnswerTheUsageIsAskedInTheUsersLanguage() throws Exception {
    Path file = TestFiles.random(work.resolve("zh.bin"), 100 * KIB, 44);
    replaceFirst(Command.UPLOADING, "SUCCESS*", "FAILE*" + 100 * KIB + "*QUOTA_EXCEEDED");
    Map<String, String> chinese = new HashMap<>(Cli.env(config, Cli.ADMIN_PASSWORD));
    chinese.put("LANG", "zh_CN.UTF-8");

    Cli.Result r = Cli.run(chinese, "--admin", "--no-tls", "put", file.toString(), at("admin") + ":/home/alice");

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.REFUSED);
    assertThat(r.err()).containsPattern("zh\\.bin：上传过程中超出 alice 的配额：已用 \\S+ [KMG]?i?B，配额 976\\.6 KiB；已保存的 100\\.0 KiB 保留");
    assertThat(relay.sent()).containsExactly("login", "upload", "quota", "logout");
  }

  @Test
  void aRefusalWithoutNumbersAsksForTheUsersOwnUsage() throws Exception {
    Path file = TestFiles.random(work.resolve("own.bin"), 100 * KIB, 45);
    replaceFirst(Command.UPLOAD, "READY*", "NOT_READY*QUOTA_EXCEEDED");

    Cli.Result r = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "--no-tls", "put", file.toString(), at("alice"));

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.REFUSED);
    assertThat(r.err()).containsPattern("^ferry: \\S*/own\\.bin: quota exceeded: \\S+ [KMG]?i?B of 976\\.6 KiB used,"
      + " and the file needs 100\\.0 KiB\\n$");
    assertThat(relay.sent()).containsExactly("login", "upload", "quota", "logout");
  }
}
