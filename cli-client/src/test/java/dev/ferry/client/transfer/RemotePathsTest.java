package dev.ferry.client.transfer;

import org.junit.jupiter.api.Test;

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
  }

  @Test
  void reconnectWaitsDoubleUpToTenSeconds() {
    assertThat(new long[] {Reconnector.delayMillis(1), Reconnector.delayMillis(2), Reconnector.delayMillis(3),
      Reconnector.delayMillis(4), Reconnector.delayMillis(5), Reconnector.delayMillis(6), Reconnector.delayMillis(40)})
      .containsExactly(500, 1000, 2000, 4000, 8000, 10_000, 10_000);
  }
}
