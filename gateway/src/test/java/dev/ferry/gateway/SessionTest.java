package dev.ferry.gateway;

import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.TokenRevocations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

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

  @Test
  void aLoginOverTheAccountsSessionLimitLeavesTheSessionLoggedOut() {
    ConnectionLimits limits = new ConnectionLimits(new GatewayOptions(new JsonObject().put("tls", false).put("maxSessionsPerAccount", 1)));
    Session first = new Session("127.0.0.1", limits);
    Session second = new Session("127.0.0.1", limits);
    assertThat(limits.admit("127.0.0.1")).isNull();
    assertThat(limits.admit("127.0.0.1")).isNull();
    assertThat(first.login("alice", Role.USER, "t", 0)).isTrue();
    assertThat(second.login("alice", Role.USER, "t", 0)).isFalse();
    assertThat(second.isLoggedIn()).isFalse();
    assertThat(second.login("bob", Role.USER, "t", 0)).as("another account").isTrue();
    assertThat(limits.unauthenticated()).isZero();

    first.close();
    limits.release("127.0.0.1");
    assertThat(second.login("alice", Role.USER, "t", 0)).as("bob logged out, alice's place is free").isTrue();
    second.logout();
    assertThat(limits.unauthenticated()).isEqualTo(1);
    second.close();
    limits.release("127.0.0.1");
    assertThat(limits.connections()).isZero();
    assertThat(limits.unauthenticated()).isZero();
  }

  @Test
  void onlyTheChunksOfTheUploadOpenedLastCarryAPayload() {
    Session session = new Session();
    assertThat(session.takesPayload("uploading")).as("before login").isFalse();
    session.login("alice", Role.USER, "t", 0);
    assertThat(session.takesPayload("uploading")).as("no upload opened").isFalse();
    session.startTransfer(transferOf(Command.UPLOADING));
    assertThat(session.takesPayload("uploading")).isTrue();
    assertThat(session.takesPayload("view")).isFalse();
    session.startTransfer(transferOf(Command.DOWNLOAD_RES));
    assertThat(session.takesPayload("uploading")).as("a download opened since").isFalse();
    assertThat(session.takesPayload("download_RES")).as("acknowledgements carry none").isFalse();
    session.startTransfer(transferOf(Command.UPLOADING));
    session.logout();
    assertThat(session.takesPayload("uploading")).as("after logout").isFalse();
  }

  private static Transfer transferOf(Command frames) {
    return new Transfer() {
      @Override
      public Command frames() {
        return frames;
      }

      @Override
      public void begin(ClientLink link) {
      }

      @Override
      public void onFrame(Frame frame) {
      }

      @Override
      public Future<Void> end() {
        return Future.succeededFuture();
      }

      @Override
      public boolean isOver() {
        return true;
      }
    };
  }

  /** A token as the gateway sees it: only its issue time is read, the signature is the services' to check. */
  private static String tokenIssuedAt(long millis) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8)) + "."
      + b64.encodeToString(new JsonObject().put("sub", "alice").put(SessionTokens.ISSUED_MILLIS_CLAIM, millis).encode()
        .getBytes(StandardCharsets.UTF_8)) + ".sig";
  }

  @Test
  void aRevocationVoidsTheTokenItCameAfterUnlessAFreshOneIsAwaited() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      TokenRevocations revocations = TokenRevocations.unshared(vertx, 900);
      Session alice = new Session();
      alice.login("alice", Role.USER, tokenIssuedAt(System.currentTimeMillis()), 0);
      Session bob = new Session();
      bob.login("bob", Role.USER, tokenIssuedAt(System.currentTimeMillis()), 0);
      assertThat(alice.holdsRevokedToken(revocations)).isFalse();

      long upTo = revocations.revoke("alice").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(alice.holdsRevokedToken(revocations)).isTrue();
      assertThat(bob.holdsRevokedToken(revocations)).isFalse();
      alice.awaitFreshToken(true);
      assertThat(alice.holdsRevokedToken(revocations)).as("changing its own password").isFalse();
      alice.awaitFreshToken(false);
      alice.renewed(tokenIssuedAt(upTo + 1), 1);
      assertThat(alice.holdsRevokedToken(revocations)).as("with the fresh token").isFalse();
    } finally {
      vertx.close();
    }
  }
}
