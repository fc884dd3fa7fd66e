package dev.ferry.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetTest {

  @Test
  void userHostPortAndAbsolutePath() throws Exception {
    Target t = Target.parseRemote("alice@host:2121:/x", "me");
    assertThat(t.user()).isEqualTo("alice");
    assertThat(t.host()).isEqualTo("host");
    assertThat(t.port()).isEqualTo(2121);
    assertThat(t.path()).isEqualTo("/x");
    assertThat(t.prefix()).isEqualTo("alice@host:2121:");
  }

  @Test
  void hostAloneTakesTheDefaults() throws Exception {
    Target t = Target.parseServer("host", "me");
    assertThat(t).extracting(Target::user, Target::host, Target::port, Target::path)
      .containsExactly("me", "host", Target.DEFAULT_PORT, "");
    assertThat(t.serverKey()).isEqualTo("host:2121");
  }

  @Test
  void hostAndPort() throws Exception {
    Target t = Target.parseServer("host:99", "me");
    assertThat(t.port()).isEqualTo(99);
    assertThat(t.serverKey()).isEqualTo("host:99");
    assertThat(t.display()).isEqualTo("me@host:99");
  }

  @Test
  void remotePathWithoutPort() throws Exception {
    Target t = Target.parseRemote("alice@host:/home/alice/docs", "me");
    assertThat(t.port()).isEqualTo(Target.DEFAULT_PORT);
    assertThat(t.path()).isEqualTo("/home/alice/docs");
    assertThat(t.prefix()).isEqualTo("alice@host:");
  }

  @Test
  void relativeRemotePathAfterPort() throws Exception {
    Target t = Target.parseRemote("alice@localhost:2121:docs/new", "me");
    assertThat(t.host()).isEqualTo("localhost");
    assertThat(t.path()).isEqualTo("docs/new");
  }

  @Test
  void digitsAloneAfterTheHostAreThePort() throws Exception {
    assertThat(Target.parseRemote("host:99", "me")).extracting(Target::port, Target::path).containsExactly(99, "");
    assertThat(Target.parseRemote("host:./99", "me")).extracting(Target::port, Target::path).containsExactly(2121, "./99");
  }

  @Test
  void remoteWithoutPathMeansTheWorkingDirectory() throws Exception {
    assertThat(Target.parseRemote("alice@host", "me").path()).isEmpty();
    assertThat(Target.parseRemote("alice@host:", "me").path()).isEmpty();
    assertThat(Target.parseRemote("alice@host", "me").prefix()).isEmpty();
  }

  @Test
  void colonsAndAtSignsInThePathStayInThePath() throws Exception {
    Target t = Target.parseRemote("bob@host:2000:a:b@c", "me");
    assertThat(t).extracting(Target::user, Target::port, Target::path).containsExactly("bob", 2000, "a:b@c");
  }

  @Test
  void bracketedIpv6() throws Exception {
    Target t = Target.parseRemote("alice@[::1]:2121:/docs", "me");
    assertThat(t.host()).isEqualTo("::1");
    assertThat(t.path()).isEqualTo("/docs");
    assertThat(t.serverKey()).isEqualTo("[::1]:2121");
  }

  @Test
  void hostKeyIsCaseInsensitive() throws Exception {
    assertThat(Target.parseServer("Files.Example.COM", "me").serverKey()).isEqualTo("files.example.com:2121");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "@host", "alice@", "Alice@host", "host:0", "host:70000", "host:abc", "host:99:x",
    "[::1", "[zz]:1", "bad host", "bad!host:1", "alice@:2121", "a@b@c"})
  void badServers(String text) {
    assertThatThrownBy(() -> Target.parseServer(text, "me"))
      .isInstanceOf(UsageException.class)
      .satisfies(e -> assertThat(((UsageException) e).exitCode()).isEqualTo(ExitCode.USAGE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "host:0:/x", "host:99999:/x", "[::1]x:/y", "not a host:/x", "Bob@host:/x"})
  void badRemotePaths(String text) {
    assertThatThrownBy(() -> Target.parseRemote(text, "me")).isInstanceOf(UsageException.class);
  }

  @Test
  void badDefaultUserIsReported() {
    assertThatThrownBy(() -> Target.parseServer("host", "Not Valid"))
      .isInstanceOf(UsageException.class)
      .extracting(e -> ((UsageException) e).key()).isEqualTo("target.bad-user");
  }
}
