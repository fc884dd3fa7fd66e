package dev.ferry.storage;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import io.vertx.core.eventbus.ReplyException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The confinement function against a table of hostile paths, on a real tree with real symbolic
 * links:
 *
 * <pre>
 * outside/                    a directory beside the files root (the "rest of the disk")
 * files/                      the virtual /
 *   top.txt
 *   home/alice/notes.txt
 *   home/alice/sub/deep.txt
 *   home/alice/etc     -> /etc
 *   home/alice/bob     -> files/home/bob          (absolute)
 *   home/alice/up      -> ../bob                  (relative, to bob's home)
 *   home/alice/root    -> files                   (the whole tree)
 *   home/alice/out     -> outside
 *   home/alice/inner   -> sub                     (stays inside)
 *   home/alice/dangling -> missing-target
 *   home/alice/loop    -> loop
 *   home/bob/secret.txt
 *   home/evil          -> files/home/alice        (a home that is itself a link)
 * </pre>
 */
class HomeJailTest {

  private static final Principal ALICE = new Principal("alice", Role.USER);
  private static final Principal BOB = new Principal("bob", Role.USER);
  private static final Principal CAROL = new Principal("carol", Role.USER);
  private static final Principal EVIL = new Principal("evil", Role.USER);
  private static final Principal ADMIN = new Principal("root", Role.ADMIN);
  private static final String OK = "OK";

  @TempDir
  static Path temp;
  static Path files;
  static HomeJail jail;

  @BeforeAll
  static void buildTree() throws IOException {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("loot.txt"), "loot");
    files = Files.createDirectories(temp.resolve("files"));
    Files.writeString(files.resolve("top.txt"), "top");
    Path alice = Files.createDirectories(files.resolve("home/alice"));
    Path bob = Files.createDirectories(files.resolve("home/bob"));
    Files.writeString(alice.resolve("notes.txt"), "notes");
    Files.createDirectories(alice.resolve("sub"));
    Files.writeString(alice.resolve("sub/deep.txt"), "deep");
    Files.writeString(bob.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(alice.resolve("etc"), Path.of("/etc"));
    Files.createSymbolicLink(alice.resolve("bob"), bob);
    Files.createSymbolicLink(alice.resolve("up"), Path.of("../bob"));
    Files.createSymbolicLink(alice.resolve("root"), files);
    Files.createSymbolicLink(alice.resolve("out"), outside);
    Files.createSymbolicLink(alice.resolve("inner"), Path.of("sub"));
    Files.createSymbolicLink(alice.resolve("dangling"), Path.of("missing-target"));
    Files.createSymbolicLink(alice.resolve("loop"), Path.of("loop"));
    Files.createSymbolicLink(files.resolve("home/evil"), alice);
    jail = new HomeJail(files.toRealPath());
  }

  /** JUnit warns about every link to outside the temp dir it deletes; this one is expected. */
  @AfterAll
  static void removeLinkToEtc() throws IOException {
    Files.delete(files.resolve("home/alice/etc"));
  }

  static Stream<Arguments> hostilePaths() {
    String longName = "a".repeat(256);
    String longest = "a".repeat(255);
    String longUtf8 = "é".repeat(128); // 256 bytes in UTF-8
    return Stream.of(
      // Plain paths inside the home.
      row(ALICE, "/home/alice", OK, "home/alice"),
      row(ALICE, "/home/alice/notes.txt", OK, "home/alice/notes.txt"),
      row(ALICE, "/home/alice/new-file", OK, "home/alice/new-file"),
      row(ALICE, "/home/alice/no/such/dir", OK, "home/alice/no/such/dir"),
      row(ALICE, "//home//alice/./x", OK, "home/alice/x"),
      row(ALICE, "/home/alice/sub/../notes.txt", OK, "home/alice/notes.txt"),
      row(ALICE, "home/alice/sub", OK, "home/alice/sub"),
      row(ALICE, "/home/alice/" + longest, OK, "home/alice/" + longest),
      row(ALICE, "/home/alice/文件 with spaces", OK, "home/alice/文件 with spaces"),
      row(ALICE, "/home/alice/...", OK, "home/alice/..."),
      // Dot-dot games: normalised first, then outside the home.
      row(ALICE, "..", Failure.NO_PERMISSION, null),
      row(ALICE, "../..", Failure.NO_PERMISSION, null),
      row(ALICE, "/", Failure.NO_PERMISSION, null),
      row(ALICE, "", Failure.NO_PERMISSION, null),
      row(ALICE, "/../../etc/passwd", Failure.NO_PERMISSION, null),
      row(ALICE, "/home", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/bob", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/bob/secret.txt", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/bob/does-not-exist", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/../bob", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/../../", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/..", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/sub/../../bob/secret.txt", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alicex", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice.bak/x", Failure.NO_PERMISSION, null),
      row(ALICE, "/top.txt", Failure.NO_PERMISSION, null),
      // Forbidden names (PROTOCOL.md section 2).
      row(ALICE, "/home/alice/a\\b", Failure.BAD_NAME, null),
      row(ALICE, "/home/alice/..\\..\\bob", Failure.BAD_NAME, null),
      row(ALICE, "/home/alice/*", Failure.BAD_NAME, null),
      row(ALICE, "/home/alice/a\u0000b", Failure.BAD_NAME, null),
      row(ALICE, "/home/alice/a\nb", Failure.BAD_NAME, null),
      row(ALICE, "/home/alice/\u001b[31m", Failure.BAD_NAME, null),
      row(ALICE, "/home/alice/a\u007fb", Failure.BAD_NAME, null),
      row(ALICE, "/home/alice/a\u0085b", Failure.BAD_NAME, null),
      row(ALICE, "/home/alice/" + longName, Failure.BAD_NAME, null),
      row(ALICE, "/home/alice/" + longUtf8, Failure.BAD_NAME, null),
      // Symbolic links that lead out of the home or the storage root.
      row(ALICE, "/home/alice/etc", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/etc/passwd", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/etc/no-such-file", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/bob", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/bob/secret.txt", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/up/secret.txt", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/up/new-file", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/root", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/root/top.txt", Failure.NO_PERMISSION, null),
      // ...judged by where a link really leads: back into the home through the root is inside.
      row(ALICE, "/home/alice/root/home/alice/notes.txt", OK, "home/alice/root/home/alice/notes.txt"),
      row(ALICE, "/home/alice/root/home/bob/secret.txt", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/out/loot.txt", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/dangling", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/dangling/x", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/loop", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/loop/x", Failure.NO_PERMISSION, null),
      // A link that stays inside the home is followed.
      row(ALICE, "/home/alice/inner", OK, "home/alice/inner"),
      row(ALICE, "/home/alice/inner/deep.txt", OK, "home/alice/inner/deep.txt"),
      row(ALICE, "/home/alice/inner/new-file", OK, "home/alice/inner/new-file"),
      // A home that is a link leads elsewhere; a home that does not exist holds nothing.
      row(EVIL, "/home/evil", Failure.NO_PERMISSION, null),
      row(EVIL, "/home/evil/notes.txt", Failure.NO_PERMISSION, null),
      row(CAROL, "/home/carol", Failure.NOT_FOUND, null),
      row(CAROL, "/home/carol/x", Failure.NOT_FOUND, null),
      row(CAROL, "/home/alice", Failure.NO_PERMISSION, null),
      row(BOB, "/home/bob/secret.txt", OK, "home/bob/secret.txt"),
      row(BOB, "/home/alice/notes.txt", Failure.NO_PERMISSION, null),
      // The admin's home is the whole tree, but links still may not leave it.
      row(ADMIN, "/", OK, ""),
      row(ADMIN, "", OK, ""),
      row(ADMIN, "..", OK, ""),
      row(ADMIN, "/../../etc/passwd", OK, "etc/passwd"),
      row(ADMIN, "/home/bob/secret.txt", OK, "home/bob/secret.txt"),
      row(ADMIN, "/home/alice/root/top.txt", OK, "home/alice/root/top.txt"),
      row(ADMIN, "/home/alice/up/secret.txt", OK, "home/alice/up/secret.txt"),
      row(ADMIN, "/home/evil/notes.txt", OK, "home/evil/notes.txt"),
      row(ADMIN, "/home/alice/etc", Failure.NO_PERMISSION, null),
      row(ADMIN, "/home/alice/etc/passwd", Failure.NO_PERMISSION, null),
      row(ADMIN, "/home/alice/out/loot.txt", Failure.NO_PERMISSION, null),
      row(ADMIN, "/home/alice/dangling", Failure.NO_PERMISSION, null),
      row(ADMIN, "/home/alice/a*b", Failure.BAD_NAME, null)
    );
  }

  /** A table row whose path is shown printable in the test name (it may hold NUL or ESC). */
  private static Arguments row(Principal who, String path, Object expected, String realBelowRoot) {
    StringBuilder shown = new StringBuilder();
    path.codePoints().forEach(c -> shown.append(c < 0x20 || (c >= 0x7f && c < 0xa0)
      ? String.format("\\u%04x", c) : new String(Character.toChars(c))));
    String name = path.isEmpty() ? "(empty)" : shown.length() > 60 ? shown.substring(0, 60) + "...(" + path.length() + " chars)" : shown.toString();
    return arguments(Named.of(who.account(), who), Named.of(name, path), expected, realBelowRoot);
  }

  @ParameterizedTest(name = "[{index}] {0} \"{1}\" -> {2}")
  @MethodSource("hostilePaths")
  void confinesEveryPath(Principal who, String path, Object expected, String realBelowRoot) throws IOException {
    if (expected instanceof Failure failure) {
      assertThatThrownBy(() -> jail.confine(who, path))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(Failure.of(e)).isEqualTo(failure));
    } else {
      JailedPath confined = jail.confine(who, path);
      assertThat(confined.real()).isEqualTo(files.toRealPath().resolve(realBelowRoot));
      assertThat(confined.path()).startsWith("/").doesNotContain("//", "/./", "/../");
    }
  }

  @Test
  void homeOfAnAccountIsCheckedAgainstTheRoot() throws IOException {
    assertThat(jail.home("alice").real()).isEqualTo(files.toRealPath().resolve("home/alice"));
    assertThat(jail.home("carol").real()).isEqualTo(files.toRealPath().resolve("home/carol"));
    assertThatThrownBy(() -> jail.home("../etc"))
      .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(Failure.of(e)).isEqualTo(Failure.BAD_NAME));
    assertThatThrownBy(() -> jail.home("Alice"))
      .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(Failure.of(e)).isEqualTo(Failure.BAD_NAME));
  }

  @Test
  void onlyLinksThatStayInsideTheHomeAreShown() throws IOException {
    Path alice = files.resolve("home/alice");
    assertThat(jail.staysInside(ALICE, alice.resolve("inner"))).isTrue();
    assertThat(jail.staysInside(ALICE, alice.resolve("etc"))).isFalse();
    assertThat(jail.staysInside(ALICE, alice.resolve("bob"))).isFalse();
    assertThat(jail.staysInside(ALICE, alice.resolve("root"))).isFalse();
    assertThat(jail.staysInside(ALICE, alice.resolve("dangling"))).isFalse();
    assertThat(jail.staysInside(ALICE, alice.resolve("loop"))).isFalse();
    assertThat(jail.staysInside(ADMIN, alice.resolve("bob"))).isTrue();
    assertThat(jail.staysInside(ADMIN, alice.resolve("out"))).isFalse();
  }
}
