package dev.ferry.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ferry.client.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code get -r} and {@code put -r} with {@code -j N}: several files at once, each on a connection
 * of its own, through the real CLI against a real server over TLS: trees arrive byte for byte,
 * a dropped connection resumes, and a file that fails is reported while the others arrive.
 */
class ParallelTransferTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withAlice("1G");
  @RegisterExtension
  static final CuttingProxy proxy = CuttingProxy.inFrontOf(server);

  @TempDir
  Path config;
  @TempDir
  Path work;

  private String alice() {
    return "alice@127.0.0.1:" + server.port();
  }

  private String aliceViaProxy() {
    return "alice@127.0.0.1:" + proxy.port();
  }

  private Map<String, String> env() {
    return Cli.env(config, Cli.ALICE_PASSWORD);
  }

  private Cli.Result ok(String... args) {
    return Cli.ok(env(), args);
  }

  /**
   * {@code files} files of mixed small sizes (a few of a MiB or two) in nested directories, one
   * of them empty, under {@code root}; seeded, so a failure can be replayed.
   */
  private static Path tree(Path root, int files, long seed) throws Exception {
    String[] dirs = {"", "a", "a/b", "a/b/c", "d", "d/e", "f"};
    Random random = new Random(seed);
    for (int i = 0; i < files; i++) {
      String dir = dirs[i % dirs.length];
      int kind = random.nextInt(100);
      long size = kind < 70 ? random.nextInt(8 * 1024) : kind < 96 ? random.nextInt(200 * 1024) : MIB + random.nextInt(MIB);
      TestFiles.random(root.resolve(dir).resolve("file-" + i + ".bin"), size, seed * 1000 + i);
    }
    Files.createDirectories(root.resolve("d/empty"));
    return root;
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void putAndGetOfATreeOf200FilesWithFourJobsAreByteIdentical() throws Exception {
    Path tree = tree(work.resolve("tree"), 200, 1);
    ok("mkdir", alice() + ":par");
    Cli.Result up = ok("put", "-r", "-j", "4", tree.toString(), alice() + ":par");
    // Not on a terminal: one line per file that arrived, as without -j.
    assertThat(count(up.err(), "(?m)^\\S*file-\\d+\\.bin 100% ")).isEqualTo(200);

    Path copy = Files.createDirectories(work.resolve("copy"));
    Cli.Result down = ok("get", "-r", "--jobs", "4", alice() + ":par/tree", copy.toString());
    assertThat(count(down.err(), "(?m)^\\S*file-\\d+\\.bin 100% ")).isEqualTo(200);
    TreeMap<String, String> sent = TestFiles.tree(tree);
    assertThat(sent).hasSize(200 + 7);
    assertThat(TestFiles.tree(copy.resolve("tree"))).isEqualTo(sent);
  }

  @Test
  void aDroppedConnectionOfOneFileResumesWhileTheOthersGoOn() throws Exception {
    Path tree = tree(work.resolve("tree"), 30, 2);
    for (int i = 0; i < 4; i++) {
      TestFiles.random(tree.resolve("big/big-" + i + ".bin"), 3L * MIB, 20 + i);
    }
    ok("mkdir", alice() + ":resume");

    int before = proxy.cuts();
    proxy.cutOnce(CuttingProxy.Direction.TO_SERVER, 2L * MIB);
    Cli.Result up = Cli.run(env(), "put", "-r", "-j", "4", tree.toString(), aliceViaProxy() + ":resume");
    assertThat(up.exit()).as(up.toString()).isEqualTo(ExitCode.OK);
    assertThat(proxy.cuts()).isEqualTo(before + 1);
    assertThat(up.err()).contains("connection lost").contains("reconnecting");

    Path copy = Files.createDirectories(work.resolve("copy"));
    proxy.cutOnce(CuttingProxy.Direction.TO_CLIENT, 2L * MIB);
    Cli.Result down = Cli.run(env(), "get", "-r", "-j", "4", aliceViaProxy() + ":resume/tree", copy.toString());
    assertThat(down.exit()).as(down.toString()).isEqualTo(ExitCode.OK);
    assertThat(proxy.cuts()).isEqualTo(before + 2);
    assertThat(down.err()).contains("reconnecting");

    assertThat(TestFiles.tree(copy.resolve("tree"))).isEqualTo(TestFiles.tree(tree));
    try (var left = Files.walk(copy)) {
      assertThat(left.map(Path::toString)).noneMatch(n -> n.endsWith(".part"));
    }
  }

  @Test
  void aFileThatFailsIsReportedWhileTheOthersArriveIntact() throws Exception {
    Path tree = tree(work.resolve("tree"), 40, 3);
    Path taken = tree.resolve("a/b/file-2.bin");
    Path older = TestFiles.random(work.resolve("older/file-2.bin"), 5000, 99);
    ok("mkdir", alice() + ":fail");
    ok("mkdir", alice() + ":fail/tree");
    ok("mkdir", alice() + ":fail/tree/a");
    ok("mkdir", alice() + ":fail/tree/a/b");
    ok("put", "-q", older.toString(), alice() + ":fail/tree/a/b");

    Cli.Result up = Cli.run(env(), "put", "-r", "-j", "4", tree.toString(), alice() + ":fail");
    assertThat(up.exit()).as(up.toString()).isEqualTo(ExitCode.REFUSED);
    assertThat(up.err()).contains("ferry: " + taken + ": exists on the server, use -f to replace it")
      .contains("1 failed, 39 transferred");

    // Downloading it back: one local target is in the way (a directory with something in it).
    Path copy = Files.createDirectories(work.resolve("copy"));
    Path blocked = Files.createDirectories(copy.resolve("tree/d/file-4.bin/keep"));
    Cli.Result down = Cli.run(env(), "get", "-r", "-j", "4", alice() + ":fail/tree", copy.toString());
    assertThat(down.exit()).as(down.toString()).isEqualTo(ExitCode.REFUSED);
    assertThat(down.err()).containsPattern("ferry: \\S*tree/d/file-4\\.bin: ").contains("1 failed, 39 transferred");

    TreeMap<String, String> expected = TestFiles.tree(tree);
    expected.put("a/b/file-2.bin", TestFiles.sha256(older));
    // The download that could not take its name keeps what it received, verified, for another try.
    expected.put("d/file-4.bin.part", TestFiles.sha256(tree.resolve("d/file-4.bin")));
    expected.put("d/file-4.bin", "dir");
    expected.put("d/file-4.bin/keep", "dir");
    assertThat(TestFiles.tree(copy.resolve("tree"))).isEqualTo(expected);
    assertThat(blocked).isEmptyDirectory();
  }

  @Test
  void theShellRunsThemAtOnceToo() throws Exception {
    Path tree = tree(work.resolve("tree"), 25, 4);
    Path copy = Files.createDirectories(work.resolve("copy"));
    Cli.Result r = Cli.piped(env(), "mkdir shell\nput -r -j 3 -q " + tree + " shell\nget -r -j 3 -q shell/tree " + copy + "\nls shell\n",
      alice());
    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("tree/");
    assertThat(r.err().lines().filter(line -> !line.startsWith("notice: first connection"))).isEmpty();
    assertThat(TestFiles.tree(copy.resolve("tree"))).isEqualTo(TestFiles.tree(tree));
  }
}
