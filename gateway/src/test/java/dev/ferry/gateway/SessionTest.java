package dev.ferry.gateway;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.VirtualPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionTest {

  @Test
  void startsAwaitingLogin() {
    Session session = new Session();
    assertThat(session.state()).isEqualTo(Session.State.AWAITING_LOGIN);
    assertThat(session.account()).isEmpty();
    assertThat(session.token()).isNull();
  }

  @Test
  void loginStartsAtTheHome() {
    Session user = new Session();
    user.login("alice", Role.USER, "t", 0);
    assertThat(user.state()).isEqualTo(Session.State.LOGGED_IN);
    assertThat(user.cwd()).isEqualTo("/home/alice");
    assertThat(user.isAdmin()).isFalse();
    Session admin = new Session();
    admin.login("root", Role.ADMIN, "t", 0);
    assertThat(admin.cwd()).isEqualTo("/");
    assertThat(admin.isAdmin()).isTrue();
  }

  @Test
  void relativePathsStartAtTheWorkingDirectory() {
    Session session = new Session();
    session.login("alice", Role.USER, "t", 0);
    session.cd("/home/alice/docs");
    assertThat(session.resolve("a.txt")).isEqualTo("/home/alice/docs/a.txt");
    assertThat(session.resolve("")).isEqualTo("/home/alice/docs");
    assertThat(session.resolve("/x")).isEqualTo("/x");
    assertThatThrownBy(() -> session.resolve("a*b")).isInstanceOf(VirtualPath.BadNameException.class);
  }

  @Test
  void logoutForgetsEverythingButTheFailureCount() {
    Session session = new Session();
    assertThat(session.loginFailed()).isEqualTo(1);
    session.login("alice", Role.USER, "t", 0);
    session.logout();
    assertThat(session.state()).isEqualTo(Session.State.AWAITING_LOGIN);
    assertThat(session.account()).isEmpty();
    assertThat(session.token()).isNull();
    assertThat(session.loginFailed()).isEqualTo(2);
  }

  @Test
  void closedIsFinal() {
    Session session = new Session();
    session.login("alice", Role.USER, "t", 0);
    session.close();
    assertThat(session.isClosed()).isTrue();
    assertThat(session.token()).isNull();
    session.login("alice", Role.USER, "t", 0);
    session.logout();
    assertThat(session.state()).isEqualTo(Session.State.CLOSED);
  }

  @Test
  void tokenAgeCountsFromIssueOrRenewal() {
    Session session = new Session();
    session.login("alice", Role.USER, "t1", 100);
    assertThat(session.tokenAgeNanos(350)).isEqualTo(250);
    session.renewed("t2", 300);
    assertThat(session.token()).isEqualTo("t2");
    assertThat(session.tokenAgeNanos(350)).isEqualTo(50);
  }
}
