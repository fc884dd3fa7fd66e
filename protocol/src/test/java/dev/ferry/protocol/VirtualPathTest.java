package dev.ferry.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Path normalisation and confinement of PROTOCOL.md s2, against a table of hostile paths. */
class VirtualPathTest {

  @ParameterizedTest(name = "cd {0}; {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
    "/home/alice | ''                  | /home/alice",
    "/home/alice | .                   | /home/alice",
    "/home/alice | docs                | /home/alice/docs",
    "/home/alice | docs/               | /home/alice/docs",
    "/home/alice | ./docs/./a.txt      | /home/alice/docs/a.txt",
    "/home/alice | docs//a.txt         | /home/alice/docs/a.txt",
    "/home/alice | ..                  | /home",
    "/home/alice | ../bob              | /home/bob",
    "/home/alice | ../../..            | /",
    "/home/alice | ../../../../etc     | /etc",
    "/home/alice | /                   | /",
    "/home/alice | //home//bob//       | /home/bob",
    "/home/alice | /home/alice/../bob  | /home/bob",
    "/home/alice | /../../etc/passwd   | /etc/passwd",
    "/           | home                | /home",
    "/           | ..                  | /",
    "/home/alice | 文件 夹/ a.txt       | /home/alice/文件 夹/ a.txt",
    "/home/alice | ...                 | /home/alice/...",
    "/home/alice | .hidden             | /home/alice/.hidden"
  })
  void resolveNormalises(String cwd, String input, String expected) {
    assertThat(VirtualPath.resolve(cwd, input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a*b", "a\\b", "..\\..\\etc", "nul\u0000byte", "tab\tname", "line\nbreak", "del\u007f", "c1\u0085"})
  void forbiddenNamesAreRejected(String input) {
    assertThatThrownBy(() -> VirtualPath.resolve("/home/alice", input)).isInstanceOf(VirtualPath.BadNameException.class);
  }

  @Test
  void namesUpTo255Utf8BytesAreAllowed() {
    assertThat(VirtualPath.resolve("/", "x".repeat(255))).isEqualTo("/" + "x".repeat(255));
    assertThatThrownBy(() -> VirtualPath.resolve("/", "x".repeat(256))).isInstanceOf(VirtualPath.BadNameException.class);
    // 86 three-byte characters are 258 bytes though only 86 chars.
    assertThatThrownBy(() -> VirtualPath.resolve("/", "文".repeat(86))).isInstanceOf(VirtualPath.BadNameException.class);
  }

  @ParameterizedTest(name = "{0} within {1}: {2}")
  @CsvSource({
    "/home/alice, /home/alice, true",
    "/home/alice/docs/a.txt, /home/alice, true",
    "/home/alice2, /home/alice, false",
    "/home/alicex/a, /home/alice, false",
    "/home, /home/alice, false",
    "/, /home/alice, false",
    "/home/bob, /home/alice, false",
    "/, /, true",
    "/home/bob/x, /, true"
  })
  void isWithinHonoursComponentBoundaries(String path, String home, boolean within) {
    assertThat(VirtualPath.isWithin(path, home)).isEqualTo(within);
  }

  @ParameterizedTest
  @CsvSource(nullValues = "-", value = {
    "/home/alice, alice",
    "/home/alice/x/y, alice",
    "/home/alice.b/x, alice.b",
    "/home, -",
    "/, -",
    "/homes/alice, -",
    "/shared/home/alice, -"
  })
  void ownerOfIsTheAccountOfTheHomeAPathIsIn(String path, String owner) {
    assertThat(VirtualPath.ownerOf(path)).isEqualTo(java.util.Optional.ofNullable(owner));
  }

  @Test
  void homes() {
    assertThat(VirtualPath.homeOf("alice", Role.USER)).isEqualTo("/home/alice");
    assertThat(VirtualPath.homeOf("admin", Role.ADMIN)).isEqualTo("/");
  }

  @Test
  void hostileInputResolvedFromAHomeIsConfinedOnlyWhenItStaysInside() {
    String home = "/home/alice";
    for (String hostile : new String[] {"..", "../bob", "/", "/home", "//home//bob", "../../etc/passwd", "/home/alice/../bob"}) {
      assertThat(VirtualPath.isWithin(VirtualPath.resolve(home, hostile), home)).as(hostile).isFalse();
    }
    for (String inside : new String[] {"", ".", "a/..", "/home/alice/x/../y", "a/b/../../c"}) {
      assertThat(VirtualPath.isWithin(VirtualPath.resolve(home, inside), home)).as(inside).isTrue();
    }
  }
}
