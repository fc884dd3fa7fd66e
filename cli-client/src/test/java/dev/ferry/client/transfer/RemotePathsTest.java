package dev.ferry.client.transfer;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RemotePathsTest {

  @Test
  void relativePathsFollowTheWorkingDirectory() {
    assertThat(RemotePaths.absolute("/home/alice", "a.bin")).isEqualTo("/home/alice/a.bin");
    assertThat(RemotePaths.absolute("/home/alice", "")).isEqualTo("/home/alice");
    assertThat(RemotePaths.absolute("/home/alice", ".")).isEqualTo("/home/alice");
    assertThat(RemotePaths.absolute("/home/alice/docs", "../x//y/./z/")).isEqualTo("/home/alice/x/y/z");
    assertThat(RemotePaths.absolute("/", "a")).isEqualTo("/a");
  }

  @Test
  void absolutePathsAreNormalisedAndStayBelowTheRoot() {
    assertThat(RemotePaths.absolute("/home/alice", "/tmp/../home/bob")).isEqualTo("/home/bob");
    assertThat(RemotePaths.absolute("/home/alice", "/../../..")).isEqualTo("/");
  }

  @Test
  void namesAndJoins() {
    assertThat(RemotePaths.name("/home/alice/a.bin")).isEqualTo("a.bin");
    assertThat(RemotePaths.name("/")).isEmpty();
    assertThat(RemotePaths.join("/", "a")).isEqualTo("/a");
    assertThat(RemotePaths.join("/home", "a")).isEqualTo("/home/a");
  }

  @Test
  void onlyPlainNamesBecomeLocalFiles() {
    assertThat(LocalFiles.safeName("a.bin")).isTrue();
    assertThat(LocalFiles.safeName("..a")).isTrue();
    assertThat(LocalFiles.safeName("")).isFalse();
    assertThat(LocalFiles.safeName(".")).isFalse();
    assertThat(LocalFiles.safeName("..")).isFalse();
    assertThat(LocalFiles.safeName("../../etc/passwd")).isFalse();
    assertThat(LocalFiles.safeName("a\\b")).isFalse();
    assertThat(LocalFiles.safeName("a\0b")).isFalse();
    assertThat(LocalFiles.safeName("a\u001b[2Jb")).isFalse();
  }

  @Test
  void aColonNeverReachesADriveOrAStream() {
    for (boolean windows : new boolean[] {false, true}) {
      assertThat(LocalFiles.safeName("c:evil", windows)).isFalse();
      assertThat(LocalFiles.safeName("C:", windows)).isFalse();
      assertThat(LocalFiles.safeName("report.txt:hidden", windows)).isFalse();
      assertThat(LocalFiles.safeName("report.txt::$DATA", windows)).isFalse();
      assertThat(LocalFiles.safeName("report.txt", windows)).isTrue();
    }
  }

  @Test
  void windowsRulesRefuseDevicesReservedCharactersAndTrailingDots() {
    assertThat(LocalFiles.safeName("what?.txt", false)).isTrue();
    assertThat(LocalFiles.safeName("what?.txt", true)).isFalse();
    assertThat(LocalFiles.safeName("a<b", true)).isFalse();
    assertThat(LocalFiles.safeName("NUL", true)).isFalse();
    assertThat(LocalFiles.safeName("nul.txt", true)).isFalse();
    assertThat(LocalFiles.safeName("com1", true)).isFalse();
    assertThat(LocalFiles.safeName("console.txt", true)).isTrue();
    assertThat(LocalFiles.safeName("a.", true)).isFalse();
    assertThat(LocalFiles.safeName("a ", true)).isFalse();
    assertThat(LocalFiles.safeName("a.", false)).isTrue();
  }

  @Test
  void aChildStaysBelowItsDirectoryOnceNormalized(@org.junit.jupiter.api.io.TempDir Path dir) {
    assertThat(LocalFiles.child(dir, "a.bin")).contains(dir.resolve("a.bin"));
    assertThat(LocalFiles.child(dir, "..")).isEmpty();
    assertThat(LocalFiles.child(dir, "../x")).isEmpty();
    assertThat(LocalFiles.child(dir, "x:y")).isEmpty();
    assertThat(LocalFiles.child(Path.of("relative/dir"), "f")).contains(Path.of("relative/dir/f"));
  }

  @Test
  void reconnectWaitsDoubleUpToTenSeconds() {
    assertThat(new long[] {Reconnector.delayMillis(1), Reconnector.delayMillis(2), Reconnector.delayMillis(3),
      Reconnector.delayMillis(4), Reconnector.delayMillis(5), Reconnector.delayMillis(6), Reconnector.delayMillis(40)})
      .containsExactly(500, 1000, 2000, 4000, 8000, 10_000, 10_000);
  }
}
