package dev.ferry.gateway;

import dev.ferry.gateway.transfer.TransferBudget;
import dev.ferry.gateway.command.CommandTable;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Role;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatcher's session checks and the commands' guard clauses, on a real Vert.x whose event
 * bus has no services: every answer here is decided before a request would leave the gateway
 * (or is the answer to a request nobody could take).
 */
@ExtendWith(VertxExtension.class)
class CommandDispatcherTest {

  private static final int TTL_SECONDS = 900;
  private CommandDispatcher dispatcher;

  @BeforeEach
  void setUp(Vertx vertx) {
    Services services = new Services(vertx, new TransferBudget(GatewayOptions.DEFAULT_TRANSFER_MEMORY));
    GatewayOptions options = new GatewayOptions(new JsonObject().put("tls", false).put("tokenTtlSeconds", TTL_SECONDS));
    dispatcher = new CommandDispatcher(CommandTable.create(services, options), services, TTL_SECONDS);
  }

  private static Session session(String role) {
    Session session = new Session();
    switch (role) {
      case "user" -> session.login("alice", Role.USER, "token", System.nanoTime());
      case "admin" -> session.login("admin", Role.ADMIN, "token", System.nanoTime());
      default -> { }
    }
    return session;
  }

  @ParameterizedTest(name = "{0} sends {1} {2} ''{3}'' -> {4}")
  @CsvSource(delimiter = '|', value = {
    // Before login: only login is served; unknown commands are still unknown.
    "none  | ''    | pwd      | ''                 | NOT_LOGGED_IN",
    "none  | alice | view     | ''                 | NOT_LOGGED_IN",
    "none  | ''    | users    | ''                 | NOT_LOGGED_IN",
    "none  | ''    | fly      | ''                 | UNKNOWN_COMMAND",
    "none  | ''    | hello    | ''                 | UNKNOWN_COMMAND",
    // A frame for another account.
    "user  | bob   | pwd      | ''                 | NOT_LOGGED_IN",
    "user  | alice | pwd      | ''                 | /home/alice",
    "user  | ''    | pwd      | ''                 | /home/alice",
    "admin | ''    | pwd      | ''                 | /",
    // Admin-only commands from a user.
    "user  | ''    | users    | ''                 | 没有访问权限!",
    "user  | ''    | useradd  | bob*pass-word*user*1 | 没有访问权限!",
    "user  | ''    | userdel  | bob                | 没有访问权限!",
    "user  | ''    | lock     | bob                | 没有访问权限!",
    "user  | ''    | unlock   | alice              | 没有访问权限!",
    "user  | ''    | setquota | alice*1            | 没有访问权限!",
    "user  | ''    | quota    | bob                | 没有访问权限!",
    // Forbidden names: BAD_NAME where the command lists it, else the path does not exist.
    "user  | ''    | mkdir    | a*b                | BAD_NAME",
    "user  | ''    | mkdir    | docs/a\\b          | BAD_NAME",
    "user  | ''    | rename   | docs*a\\b          | BAD_NAME",
    "user  | ''    | view     | a\\b               | 路径不存在!",
    "user  | ''    | cd       | a\\b               | 路径不存在!",
    "user  | ''    | rm       | a\\b               | 路径不存在!",
    "user  | ''    | checksum | a\\b               | file_not_exists",
    // Data without the fields a command takes.
    "user  | ''    | rename   | docs               | BAD_ARGUMENTS",
    "user  | ''    | rename   | a*b*c              | BAD_ARGUMENTS",
    "user  | ''    | rename   | *b                 | BAD_ARGUMENTS",
    "user  | ''    | passwd   | no-separator       | BAD_ARGUMENTS",
    "user  | ''    | mkdir    | ''                 | BAD_ARGUMENTS",
    "user  | ''    | rm       | ''                 | BAD_ARGUMENTS",
    "admin | ''    | useradd  | bob*pass-word*user | BAD_ARGUMENTS",
    "admin | ''    | useradd  | bob*pass-word*root*5 | BAD_ARGUMENTS",
    "admin | ''    | useradd  | bob*pass-word*user*-5 | BAD_ARGUMENTS",
    "admin | ''    | useradd  | bob*pass-word*user*lots | BAD_ARGUMENTS",
    "admin | ''    | useradd  | *pass-word*user*5  | BAD_ARGUMENTS",
    "admin | ''    | setquota | bob                | BAD_ARGUMENTS",
    "admin | ''    | setquota | bob*1e9            | BAD_ARGUMENTS",
    "admin | ''    | setquota | bob*1*2            | BAD_ARGUMENTS",
    "admin | ''    | userdel  | ''                 | BAD_ARGUMENTS",
    "admin | ''    | userdel  | bob*keep           | BAD_ARGUMENTS",
    "admin | ''    | lock     | ''                 | BAD_ARGUMENTS",
    "admin | ''    | passwd   | *new-password      | BAD_ARGUMENTS",
    // Transfers (PROTOCOL.md s4, s5): fields and names checked before storage is asked.
    "user  | ''    | upload   | a.bin              | BAD_ARGUMENTS",
    "user  | ''    | upload   | *a.bin*-1          | BAD_ARGUMENTS",
    "user  | ''    | upload   | *a.bin*1*nothex    | BAD_ARGUMENTS",
    "user  | ''    | upload   | *..*1              | NOT_READY*BAD_NAME",
    "user  | ''    | upload   | a\\b*x.bin*1       | NOT_READY*BAD_NAME",
    "user  | ''    | download | a\\b               | file_not_exists",
    "user  | ''    | download | x.bin              | ERROR",
    "user  | ''    | upload   | *x.bin*1           | ERROR",
    // Well-formed, but no service answers: an internal failure, never its detail.
    "user  | ''    | view     | ''                 | ERROR",
    "admin | ''    | users    | ''                 | ERROR"
  })
  void answers(String role, String account, String cmd, String data, String expected, VertxTestContext test) {
    dispatcher.dispatch(session(role), new Header(account, "", cmd, data)).onComplete(test.succeeding(reply -> test.verify(() -> {
      assertThat(reply.data()).isEqualTo(expected);
      assertThat(reply.close()).isFalse();
      test.completeNow();
    })));
  }

  /** Frames of a transfer that is over (or never was) are dropped without a reply. */
  @ParameterizedTest
  @CsvSource({"download_RES, READY*0", "uploading, 0", "uploading, ABORT"})
  void transferFramesWithoutATransferGetNoReply(String cmd, String data, VertxTestContext test) {
    dispatcher.dispatch(session("user"), new Header("", "", cmd, data)).onComplete(test.succeeding(reply -> test.verify(() -> {
      assertThat(reply).isEqualTo(Reply.NONE);
      test.completeNow();
    })));
  }

  @Test
  void logoutSaysByeClosesAndForgetsTheLogin(VertxTestContext test) {
    Session session = session("user");
    dispatcher.dispatch(session, new Header("", "", "logout", "")).onComplete(test.succeeding(reply -> test.verify(() -> {
      assertThat(reply).isEqualTo(Reply.closing("BYE"));
      assertThat(session.isLoggedIn()).isFalse();
      assertThat(session.token()).isNull();
      test.completeNow();
    })));
  }

  @Test
  void aNewLoginEndsTheCurrentOneFirst(VertxTestContext test) {
    Session session = session("user");
    dispatcher.dispatch(session, new Header("bob", "pw", "login", "superuser")).onComplete(test.succeeding(reply -> test.verify(() -> {
      assertThat(reply.data()).isEqualTo("2");
      assertThat(session.isLoggedIn()).isFalse();
      assertThat(session.account()).isEmpty();
      test.completeNow();
    })));
  }

  @Test
  void aFailedRenewalThatIsNotARefusalKeepsTheSession(VertxTestContext test) {
    Session session = new Session();
    long issuedLongAgo = System.nanoTime() - TimeUnit.SECONDS.toNanos(TTL_SECONDS);
    session.login("alice", Role.USER, "old-token", issuedLongAgo);
    dispatcher.dispatch(session, new Header("", "", "pwd", "")).onComplete(test.succeeding(reply -> test.verify(() -> {
      assertThat(reply.data()).isEqualTo("/home/alice");
      assertThat(session.token()).isEqualTo("old-token");
      test.completeNow();
    })));
  }
}
