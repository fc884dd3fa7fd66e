package dev.ferry.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Directories whose listing takes many pages reach the real CLI whole: {@code ls} of 10,000
 * entries, and {@code get -r} of a tree whose listings come in several pages, against a real
 * server with TLS on.
 */
class LongListingTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withAlice("100M");

  @TempDir
  Path work;

  private String alice() {
    return "alice@127.0.0.1:" + server.port();
  }

  private Map<String, String> env() {
    return Cli.env(work.resolve("config"), Cli.ALICE_PASSWORD);
  }

  /** Names as long as a listing entry's would be in a real tree, so a page holds a few hundred. */
  private static String name(int i) {
    return String.format("entry-%05d-", i) + "x".repeat(60) + ".txt";
  }

  @Test
  void lsOfTenThousandEntriesShowsEveryOne() throws Exception {
    Path many = Files.createDirectories(server.home("alice").resolve("many"));
    for (int i = 0; i < 10_000; i++) {
      Files.writeString(many.resolve(name(i)), "");
    }
    Files.createDirectory(many.resolve("a-directory"));

    Cli.Result ls = Cli.ok(env(), "ls", alice() + ":many");

    List<String> lines = ls.out().lines().toList();
    assertThat(lines.get(0)).matches("TYPE\\s+SIZE\\s+MODIFIED\\s+NAME");
    assertThat(lines.get(1)).as("directories first").endsWith(" a-directory/");
    List<String> names = lines.stream().skip(2).map(line -> line.substring(line.lastIndexOf(' ') + 1)).toList();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      expected.add(name(i));
    }
    assertThat(names).containsExactlyElementsOf(expected);
  }

  @Test
  void getRecursiveFetchesEveryPageOfEveryDirectory() throws Exception {
    Path tree = Files.createDirectories(server.home("alice").resolve("tree"));
    List<Path> expected = new ArrayList<>();
    for (int i = 0; i < 900; i++) {
      Path file = tree.resolve(i % 3 == 0 ? "sub" : ".").resolve(name(i)).normalize();
      Files.createDirectories(file.getParent());
      Files.writeString(file, "content of " + i);
      expected.add(tree.relativize(file));
    }

    Path copy = work.resolve("copy");
    Cli.ok(env(), "get", "-r", "--quiet", alice() + ":tree", copy.toString());

    try (Stream<Path> walk = Files.walk(copy)) {
      List<Path> got = walk.filter(Files::isRegularFile).map(copy::relativize).toList();
      assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
    }
    for (Path file : expected) {
      assertThat(copy.resolve(file)).hasSameTextualContentAs(tree.resolve(file));
    }
  }
}
