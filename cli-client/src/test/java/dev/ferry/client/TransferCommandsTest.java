package dev.ferry.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ferry.client.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;

/** get and put, one-shot and in the shell, against a real server with TLS on. */
class TransferCommandsTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withAlice("200M");

  @TempDir
  Path config;
  @TempDir
  Path work;

  private String alice() {
    return "alice@127.0.0.1:" + server.port();
  }

  private Map<String, String> env() {
    return Cli.env(config, Cli.ALICE_PASSWORD);
  }

  private Cli.Result ok(String... args) {
    return Cli.ok(env(), args);
  }

  private String remoteChecksum(String path) {
    String line = ok("checksum", alice() + ":" + path).out();
    return line.substring(0, line.indexOf(' '));
  }

  @Test
  void putThenGetRoundTripsFilesOfEverySize() throws Exception {
    long[] sizes = {0, 1, MIB, MIB + 1, 10L * MIB + 12345};
    List<String> put = new ArrayList<>(List.of("put"));
    List<String> get = new ArrayList<>(List.of("get"));
    for (long size : sizes) {
      put.add(TestFiles.random(work.resolve("up/f" + size + ".bin"), size, size).toString());
      get.add(alice() + ":sizes/f" + size + ".bin");
    }
    put.add(alice() + ":sizes");
    Path down = Files.createDirectories(work.resolve("down"));
    get.add(down.toString());

    ok("mkdir", alice() + ":sizes");
    Cli.Result up = ok(put.toArray(String[]::new));
    assertThat(up.out()).isEmpty();
    Cli.Result back = ok(get.toArray(String[]::new));
    assertThat(back.out()).isEmpty();

    for (long size : sizes) {
      Path sent = work.resolve("up/f" + size + ".bin");
      Path received = down.resolve("f" + size + ".bin");
      assertThat(received).as("f%d.bin", size).hasSize(size).hasSameBinaryContentAs(sent);
      assertThat(remoteChecksum("sizes/f" + size + ".bin")).isEqualTo(TestFiles.sha256(sent));
      assertThat(up.err()).containsPattern("(?m)^f" + size + "\\.bin 100% ");
      assertThat(back.err()).containsPattern("(?m)^f" + size + "\\.bin 100% ");
    }
    try (Stream<Path> left = Files.list(down)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }
  }

  @Test
  void oneFileToANameOrIntoADirectory() throws Exception {
    Path file = TestFiles.random(work.resolve("one.bin"), 4000, 7);
    ok("put", file.toString(), alice());
    ok("get", alice() + ":one.bin", work.resolve("renamed.bin").toString());
    assertThat(work.resolve("renamed.bin")).hasSameBinaryContentAs(file);
    Path into = Files.createDirectories(work.resolve("into"));
    ok("get", alice() + ":/home/alice/one.bin", into.toString());
    assertThat(into.resolve("one.bin")).hasSameBinaryContentAs(file);
  }

  @Test
  void putOfAnExistingFileNeedsForce() throws Exception {
    Path file = TestFiles.random(work.resolve("dup.bin"), 1000, 1);
    ok("put", file.toString(), alice());

    TestFiles.random(file, 2000, 2);
    Cli.Result refused = Cli.run(env(), "put", file.toString(), alice());
    assertThat(refused.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(refused.err()).contains("ferry: " + file + ": exists on the server, use -f to replace it");
    assertThat(remoteChecksum("dup.bin")).isNotEqualTo(TestFiles.sha256(file));

    ok("put", "-f", file.toString(), alice());
    assertThat(remoteChecksum("dup.bin")).isEqualTo(TestFiles.sha256(file));
    ok("get", alice() + ":dup.bin", work.resolve("dup-back.bin").toString());
    assertThat(work.resolve("dup-back.bin")).hasSize(2000).hasSameBinaryContentAs(file);
  }

  @Test
  void recursivePutAndGetOfATree() throws Exception {
    Path tree = work.resolve("tree");
    TestFiles.random(tree.resolve("a.txt"), 10, 3);
    TestFiles.random(tree.resolve("sub/b.bin"), MIB + MIB / 2, 4);
    TestFiles.random(tree.resolve("sub/deeper/c.txt"), 0, 5);
    Files.createDirectories(tree.resolve("empty"));

    ok("mkdir", alice() + ":trees");
    ok("put", "-r", tree.toString(), alice() + ":trees");
    assertThat(ok("ls", alice() + ":trees/tree").out()).contains("a.txt", "sub/", "empty/");

    Path copy = work.resolve("copy");
    ok("get", "-r", alice() + ":trees/tree", copy.toString());
    assertThat(TestFiles.tree(copy)).isEqualTo(TestFiles.tree(tree));

    Path into = Files.createDirectories(work.resolve("into"));
    ok("get", alice() + ":trees/tree", into.toString(), "-r", "--quiet");
    assertThat(TestFiles.tree(into.resolve("tree"))).isEqualTo(TestFiles.tree(tree));

    // Again over what is there: -f replaces, the directories exist already.
    ok("put", "-rf", tree.toString(), alice() + ":trees");
  }

  @Test
  void aDirectoryNeedsRecursion() throws Exception {
    ok("mkdir", alice() + ":plain-dir");
    Cli.Result get = Cli.run(env(), "get", alice() + ":plain-dir", work.toString());
    assertThat(get.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(get.err()).contains("plain-dir: a directory on the server: use get -r");

    Path dir = Files.createDirectories(work.resolve("local-dir"));
    Cli.Result put = Cli.run(env(), "put", dir.toString(), alice());
    assertThat(put.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(put.err()).contains("local-dir: a directory: use put -r");
  }

  @Test
  void failuresAreReportedInPlainWords() throws Exception {
    Path target = work.resolve("x.bin");
    Cli.Result missing = Cli.run(env(), "get", alice() + ":nothing.bin", target.toString());
    assertThat(missing.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(missing.err()).contains("ferry: nothing.bin: no such file, or it is a directory");
    assertThat(target).doesNotExist();
    assertThat(work.resolve("x.bin.part")).doesNotExist();

    Cli.Result foreign = Cli.run(env(), "get", alice() + ":/home/bob/x.bin", target.toString());
    assertThat(foreign.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(foreign.err()).contains("permission denied (没有访问权限!)");

    Cli.Result noLocal = Cli.run(env(), "put", work.resolve("missing.bin").toString(), alice());
    assertThat(noLocal.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(noLocal.err()).contains("missing.bin: no such local file");

    Cli.Result noDir = Cli.run(env(), "put", TestFiles.random(work.resolve("y.bin"), 10, 1).toString(), alice() + ":no/such/dir");
    assertThat(noDir.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(noDir.err()).contains("y.bin: ");
  }

  @Test
  void aLocalFailureStopsTheServerSideAndTheSessionGoesOn() throws Exception {
    Path file = TestFiles.random(work.resolve("local-fail.bin"), 3L * MIB, 12);
    ok("put", "-q", file.toString(), alice());
    Path nowhere = work.resolve("no/such/dir/x.bin");
    // The server answered the download and waits for READY: the client must cancel it
    // (NOT_READY) or the pwd after it would read a stray answer.
    Cli.Result r = Cli.piped(env(), "-get local-fail.bin '" + nowhere + "'\npwd\n", alice());
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.OK);
    assertThat(r.err()).contains("local-fail.bin: " + nowhere + ".part: no such file or directory");
    assertThat(r.out()).isEqualTo("/home/alice\n");
  }

  @Test
  void aNameWithAStarCannotBeSent() throws Exception {
    Path starred = TestFiles.random(work.resolve("a*b.txt"), 10, 14);
    Cli.Result star = Cli.run(env(), "put", starred.toString(), alice());
    assertThat(star.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(star.err()).contains("a*b.txt: the name contains *");
  }

  @Test
  void overQuotaIsRefusedBeforeAnyByteIsSent() throws Exception {
    server.addUser("bob", "bob-pass-12", "1M");
    Map<String, String> bob = Cli.env(config, "bob-pass-12");
    Path big = TestFiles.random(work.resolve("too-big.bin"), 2L * MIB, 13);
    Cli.Result quota = Cli.run(bob, "put", big.toString(), "bob@127.0.0.1:" + server.port());
    assertThat(quota.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(quota.err()).containsPattern("too-big\\.bin: quota exceeded: \\d+ B of 1\\.0 MiB used, and the file needs 2\\.0 MiB");

    Map<String, String> chinese = new HashMap<>(bob);
    chinese.put("LANG", "zh_CN.UTF-8");
    Cli.Result zh = Cli.run(chinese, "put", big.toString(), "bob@127.0.0.1:" + server.port());
    assertThat(zh.err()).contains("超出配额");
  }

  @Test
  void severalFilesGoOnPastAFailureAndTheCommandFailsAtTheEnd() throws Exception {
    Path a = TestFiles.random(work.resolve("several-a.bin"), 100, 1);
    Path b = TestFiles.random(work.resolve("several-b.bin"), 200, 2);
    Cli.Result r = Cli.run(env(), "put", a.toString(), work.resolve("gone.bin").toString(), b.toString(), alice());
    assertThat(r.exit()).isEqualTo(ExitCode.REFUSED);
    assertThat(r.err()).contains("gone.bin: no such local file").contains("ferry: 1 failed, 2 transferred");
    assertThat(remoteChecksum("several-a.bin")).isEqualTo(TestFiles.sha256(a));
    assertThat(remoteChecksum("several-b.bin")).isEqualTo(TestFiles.sha256(b));
  }

  @Test
  void progressIsPlainLinesWhenPipedAndNothingWhenQuiet() throws Exception {
    ok("pwd", alice()); // records the server certificate: no notice below
    Path file = TestFiles.random(work.resolve("p.bin"), 3L * MIB, 9);

    Cli.Result put = ok("put", file.toString(), alice());
    assertThat(put.err()).containsPattern("(?m)^p\\.bin 100% 3\\.0 MiB \\d+(\\.\\d)? [KMG]?i?B/s in \\d+\\.\\d s$")
      .doesNotContain("\r");
    assertThat(put.out()).isEmpty();

    Cli.Result quietGet = ok("get", "-q", alice() + ":p.bin", work.resolve("q.bin").toString());
    assertThat(quietGet.err()).isEmpty();
    assertThat(quietGet.out()).isEmpty();
    assertThat(work.resolve("q.bin")).hasSameBinaryContentAs(file);

    Cli.Result quietPut = ok("put", "--quiet", "-f", file.toString(), alice());
    assertThat(quietPut.err()).isEmpty();

    Map<String, String> chinese = env();
    chinese.put("LANG", "zh_CN.UTF-8");
    Cli.Result zh = Cli.run(chinese, "get", alice() + ":p.bin", work.resolve("zh.bin").toString());
    assertThat(zh.exit()).isEqualTo(ExitCode.OK);
    assertThat(zh.err()).containsPattern("(?m)^p\\.bin 100% 3\\.0 MiB .* 用时 \\d+\\.\\d s$");
  }

  @Test
  void theShellRunsTransfersWithRelativePaths() throws Exception {
    Path file = TestFiles.random(work.resolve("shell.bin"), 2L * MIB + 3, 11);
    Path back = work.resolve("shell-back.bin");
    String script = String.join("\n",
      "mkdir in-shell",
      "cd in-shell",
      "put -q '" + file + "'",
      "ls",
      "get -q shell.bin '" + back + "'",
      "get -q ../in-shell/nope.bin '" + back + "'",
      "pwd") + "\n";
    Cli.Result r = Cli.piped(env(), script, alice());
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.REFUSED);
    assertThat(r.out()).containsPattern("(?m)^file\\s+2\\.0 MiB\\s+.*shell\\.bin$").doesNotContain("/home/alice/in-shell");
    assertThat(r.err()).contains("../in-shell/nope.bin: no such file");
    assertThat(back).hasSameBinaryContentAs(file);
    assertThat(remoteChecksum("in-shell/shell.bin")).isEqualTo(TestFiles.sha256(file));
  }

  /**
   * A put records the file's SHA-256 in the config directory, and the next put of the unchanged
   * file takes it from there. A recorded checksum that is wrong (the file changed in a way its
   * times do not show) is found out by the server: the file is hashed anew and sent again, and
   * the server keeps the right bytes.
   */
  @Test
  void putRemembersChecksumsAndAWrongOneNeverStoresWrongBytes() throws Exception {
    Path file = TestFiles.random(work.resolve("kept.bin"), 16 * MIB + 17, 41);
    String sha256 = TestFiles.sha256(file);
    awaitSettled(file);
    ok("put", file.toString(), alice() + ":");
    Path recorded = config.resolve("checksums");
    assertThat(Files.readString(recorded)).contains(sha256);

    String wrong = "0".repeat(64);
    Files.writeString(recorded, Files.readString(recorded).replace(sha256, wrong));
    ok("put", "-f", file.toString(), alice() + ":");
    assertThat(remoteChecksum("kept.bin")).isEqualTo(sha256);
    assertThat(Files.readString(recorded)).contains(sha256).doesNotContain(wrong);
  }

  /** Waits until {@code file} was last changed longer ago than the checksum cache asks (a clock tick). */
  private static void awaitSettled(Path file) throws Exception {
    java.nio.file.attribute.FileTime changed = (java.nio.file.attribute.FileTime) Files.getAttribute(file, "unix:ctime");
    long settledAt = changed.toMillis() + 2_100;
    while (System.currentTimeMillis() < settledAt) {
      Thread.sleep(Math.max(1, settledAt - System.currentTimeMillis()));
    }
  }
}
