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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The confinement function against a table of hostile paths, on a real tree with real symbolic
 * links at every position of a path (links are never followed: PROTOCOL.md section 2):
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
 *   home/alice/sub/back     -> ..                 (a link in the middle of a path)
 *   home/alice/sub/self.txt -> deep.txt           (a link as the last component)
 *   home/evil          -> files/home/alice        (a home that is itself a link)
 * outside-link            -> outside              (a link right under the root)
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
    Files.createSymbolicLink(alice.resolve("sub/back"), Path.of(".."));
    Files.createSymbolicLink(alice.resolve("sub/self.txt"), Path.of("deep.txt"));
    Files.createSymbolicLink(files.resolve("outside-link"), outside);
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
      row(ALICE, "/home/alice/no/such/dir", Failure.NOT_FOUND, null),
      row(ALICE, "/home/alice/notes.txt/x", Failure.NOT_FOUND, null),
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
      // ...wherever it leads: links are never followed, even back into the home.
      row(ALICE, "/home/alice/root/home/alice/notes.txt", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/root/home/bob/secret.txt", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/out/loot.txt", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/dangling", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/dangling/x", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/loop", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/loop/x", Failure.NO_PERMISSION, null),
      // A link that stays inside the home is not followed either, at any position.
      row(ALICE, "/home/alice/inner", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/inner/deep.txt", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/inner/new-file", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/sub/back", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/sub/back/notes.txt", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/sub/back/sub/deep.txt", Failure.NO_PERMISSION, null),
      row(ALICE, "/home/alice/sub/self.txt", Failure.NO_PERMISSION, null),
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
      row(ADMIN, "/../../etc/passwd", Failure.NOT_FOUND, null),
      row(ADMIN, "/etc", OK, "etc"),
      row(ADMIN, "/home/bob/secret.txt", OK, "home/bob/secret.txt"),
      row(ADMIN, "/home/alice/root/top.txt", Failure.NO_PERMISSION, null),
      row(ADMIN, "/home/alice/up/secret.txt", Failure.NO_PERMISSION, null),
      row(ADMIN, "/home/alice/bob", Failure.NO_PERMISSION, null),
      row(ADMIN, "/outside-link", Failure.NO_PERMISSION, null),
      row(ADMIN, "/outside-link/loot.txt", Failure.NO_PERMISSION, null),
      row(ADMIN, "/home/evil", Failure.NO_PERMISSION, null),
      row(ADMIN, "/home/evil/notes.txt", Failure.NO_PERMISSION, null),
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
      assertThatThrownBy(() -> use(who, path))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(Failure.of(e)).isEqualTo(failure));
    } else {
      try (JailedPath confined = jail.confine(who, path)) {
        assertThat(confined.path()).isEqualTo("/" + realBelowRoot).doesNotContain("//", "/./", "/../");
        Path real = files.resolve(realBelowRoot);
        BasicFileAttributes held = confined.attributesIfAny();
        if (Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
          assertThat(held).as("the entry held is the file at the path").isNotNull();
          assertThat(held.fileKey()).isEqualTo(Files.readAttributes(real, BasicFileAttributes.class).fileKey());
        } else {
          assertThat(held).isNull();
        }
      }
    }
  }

  /** What a listing or a stat does: confine the path, then look at its entry (which must exist). */
  private static void use(Principal who, String path) throws IOException {
    try (JailedPath confined = jail.confine(who, path)) {
      confined.attributes();
    }
  }

  @Test
  void homeOfAnAccountIsCheckedAgainstTheRoot() throws IOException {
    try (JailedPath alice = jail.home("alice"); JailedPath carol = jail.home("carol")) {
      assertThat(alice.path()).isEqualTo("/home/alice");
      assertThat(alice.attributes().isDirectory()).isTrue();
      assertThat(carol.attributesIfAny()).isNull();
    }
    assertThatThrownBy(() -> use(ADMIN, "/home/evil"))
      .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(Failure.of(e)).isEqualTo(Failure.NO_PERMISSION));
    assertThatThrownBy(() -> jail.home("../etc"))
      .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(Failure.of(e)).isEqualTo(Failure.BAD_NAME));
    assertThatThrownBy(() -> jail.home("Alice"))
      .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(Failure.of(e)).isEqualTo(Failure.BAD_NAME));
  }

  /** A link where the files root's {@code home} should be: every user path passes through it. */
  @Test
  void aLinkAtHomeItselfRefusesEveryUser() throws IOException {
    Path other = Files.createDirectories(temp.resolve("other-root"));
    Files.createSymbolicLink(other.resolve("home"), files.resolve("home"));
    HomeJail linked = new HomeJail(other.toRealPath());
    assertThatThrownBy(() -> linked.confine(ALICE, "/home/alice/notes.txt"))
      .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(Failure.of(e)).isEqualTo(Failure.NO_PERMISSION));
    assertThatThrownBy(() -> linked.home("alice"))
      .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(Failure.of(e)).isEqualTo(Failure.NO_PERMISSION));
  }
}
