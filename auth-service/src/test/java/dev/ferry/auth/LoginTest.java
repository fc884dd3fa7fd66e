package dev.ferry.auth;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.SessionTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static dev.ferry.auth.AuthFixture.ADMIN_PASSWORD;
import static dev.ferry.auth.AuthFixture.addUser;
import static dev.ferry.auth.AuthFixture.adminToken;
import static dev.ferry.auth.AuthFixture.code;
import static dev.ferry.auth.AuthFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class LoginTest {

  private static final String PASSWORD = "alice-password";

  @TempDir
  Path dataDir;

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final AuthVerticle verticle = new AuthVerticle(clock::get, new PrintStream(PrintStream.nullOutputStream()));

  /** Deploys with lockoutThreshold 5 and lockoutSeconds 900, the defaults, and creates alice. */
  private Future<String> startWithAlice(Vertx vertx, BusClient auth) {
    return AuthFixture.deploy(vertx, verticle, AuthFixture.config(dataDir))
      .compose(id -> adminToken(auth))
      .compose(admin -> addUser(auth, admin, "alice", PASSWORD).map(admin));
  }

  /** Runs the requests one after another and collects their answers. */
  private static Future<List<String>> inSequence(List<Supplier<Future<String>>> requests) {
    List<String> answers = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Supplier<Future<String>> request : requests) {
      chain = chain.compose(v -> request.get()).map(answer -> {
        answers.add(answer);
        return null;
      });
    }
    return chain.map(answers);
  }

  private static Future<List<String>> failedLogins(BusClient auth, int times) {
    List<Supplier<Future<String>>> requests = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      requests.add(() -> code(auth, "alice", "wrong-password", "user"));
    }
    return inSequence(requests);
  }

  @Test
  void answersEachLoginCode(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    startWithAlice(vertx, auth)
      .compose(admin -> inSequence(List.of(
        () -> code(auth, "alice", PASSWORD, "user"),
        () -> code(auth, "nobody", PASSWORD, "user"),
        () -> code(auth, "alice", "wrong-password", "user"),
        () -> code(auth, "alice", PASSWORD, "admin"),
        () -> code(auth, "alice", PASSWORD, "root"),
        () -> code(auth, "admin", ADMIN_PASSWORD, "user"),
        () -> auth.request(AuthApi.LOGIN, null, new JsonObject()).map(r -> r.getString(AuthApi.CODE)),
        () -> auth.request(AuthApi.LOCK, admin, new JsonObject().put(AuthApi.ACCOUNT, "alice")).map("locked"),
        () -> code(auth, "alice", PASSWORD, "user"))))
      .onComplete(ctx.succeeding(codes -> ctx.verify(() -> {
        assertThat(codes).containsExactly("1", "0", "2", "2", "2", "2", "0", "locked", "9");
        ctx.completeNow();
      })));
  }

  @Test
  void issuesTokensThatVerifyWithAccountAndRole(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    SessionTokens tokens = TestTokens.verifier(vertx);
    startWithAlice(vertx, auth)
      .compose(admin -> AuthFixture.login(auth, "alice", PASSWORD, "user"))
      .compose(reply -> {
        ctx.verify(() -> assertThat(reply.getString(AuthApi.ACCOUNT)).isEqualTo("alice"));
        ctx.verify(() -> assertThat(reply.getString(AuthApi.ROLE)).isEqualTo("user"));
        return Future.all(tokens.verify(reply.getString(AuthApi.TOKEN)),
          AuthFixture.token(auth, "admin", ADMIN_PASSWORD, "admin").compose(tokens::verify));
      })
      .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
        assertThat((Principal) both.resultAt(0)).isEqualTo(new Principal("alice", Role.USER));
        assertThat((Principal) both.resultAt(1)).isEqualTo(new Principal("admin", Role.ADMIN));
        ctx.completeNow();
      })));
  }

  @Test
  void locksOutAfterFiveFailuresUntilAnAdminUnlocks(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    startWithAlice(vertx, auth)
      .compose(admin -> failedLogins(auth, 5)
        .compose(codes -> {
          ctx.verify(() -> assertThat(codes).containsOnly("2").hasSize(5));
          return code(auth, "alice", PASSWORD, "user");
        })
        .compose(lockedOut -> {
          ctx.verify(() -> assertThat(lockedOut).isEqualTo("9"));
          return auth.request(AuthApi.GET, admin, new JsonObject().put(AuthApi.ACCOUNT, "alice"));
        })
        .compose(shown -> {
          ctx.verify(() -> assertThat(shown.getBoolean(AuthApi.LOCKED)).isTrue());
          return auth.request(AuthApi.UNLOCK, admin, new JsonObject().put(AuthApi.ACCOUNT, "alice"));
        })
        .compose(unlocked -> code(auth, "alice", PASSWORD, "user")))
      .onComplete(ctx.succeeding(afterUnlock -> ctx.verify(() -> {
        assertThat(afterUnlock).isEqualTo("1");
        ctx.completeNow();
      })));
  }

  @Test
  void lockoutExpiresWithTime(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    startWithAlice(vertx, auth)
      .compose(admin -> failedLogins(auth, 5))
      .compose(codes -> {
        clock.addAndGet(AuthOptions.DEFAULT_LOCKOUT_SECONDS * 1000L - 1);
        return code(auth, "alice", PASSWORD, "user");
      })
      .compose(justBefore -> {
        ctx.verify(() -> assertThat(justBefore).isEqualTo("9"));
        clock.addAndGet(1);
        return code(auth, "alice", PASSWORD, "user");
      })
      .onComplete(ctx.succeeding(expired -> ctx.verify(() -> {
        assertThat(expired).isEqualTo("1");
        ctx.completeNow();
      })));
  }

  @Test
  void successResetsTheFailureCount(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    startWithAlice(vertx, auth)
      .compose(admin -> failedLogins(auth, 4))
      .compose(codes -> code(auth, "alice", PASSWORD, "user"))
      .compose(ok -> failedLogins(auth, 4))
      .compose(codes -> code(auth, "alice", PASSWORD, "user"))
      .onComplete(ctx.succeeding(last -> ctx.verify(() -> {
        assertThat(last).isEqualTo("1");
        ctx.completeNow();
      })));
  }

  @Test
  void everyLoginRunsExactlyOneVerify(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    List<Long> counts = new ArrayList<>();
    Supplier<Future<String>> count = () -> {
      counts.add(verticle.hasher().verifications());
      return Future.succeededFuture("");
    };
    startWithAlice(vertx, auth)
      .compose(admin -> inSequence(List.of(
        count,
        () -> code(auth, "nobody", PASSWORD, "user"),
        count,
        () -> code(auth, "alice", PASSWORD, "nonsense-role"),
        count,
        () -> code(auth, "alice", PASSWORD, "admin"),
        count,
        () -> auth.request(AuthApi.LOCK, admin, new JsonObject().put(AuthApi.ACCOUNT, "alice")).map(""),
        count,
        () -> code(auth, "alice", PASSWORD, "user"),
        count)))
      .onComplete(ctx.succeeding(codes -> ctx.verify(() -> {
        assertThat(codes).containsSubsequence("0", "2", "2", "9");
        // unknown account, bad role, wrong role: one verify each; the lock itself: none; locked: one.
        assertThat(List.of(counts.get(1) - counts.get(0), counts.get(2) - counts.get(1),
          counts.get(3) - counts.get(2), counts.get(4) - counts.get(3), counts.get(5) - counts.get(4)))
          .containsExactly(1L, 1L, 1L, 0L, 1L);
        ctx.completeNow();
      })));
  }

  @Test
  void renewIssuesAFreshTokenWhileTheAccountIsUsable(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    SessionTokens tokens = TestTokens.verifier(vertx);
    startWithAlice(vertx, auth)
      .compose(admin -> AuthFixture.token(auth, "alice", PASSWORD, "user")
        .compose(alice -> auth.request(AuthApi.RENEW, alice, new JsonObject())
          .compose(renewed -> tokens.verify(renewed.getString(AuthApi.TOKEN)))
          .compose(principal -> {
            ctx.verify(() -> assertThat(principal).isEqualTo(new Principal("alice", Role.USER)));
            return auth.request(AuthApi.LOCK, admin, new JsonObject().put(AuthApi.ACCOUNT, "alice"));
          })
          .compose(locked -> failure(auth.request(AuthApi.RENEW, alice, new JsonObject())))
          .compose(whenLocked -> {
            // The lock revoked alice's tokens: the one she holds no longer even reaches renew.
            ctx.verify(() -> assertThat(whenLocked).isEqualTo(Failure.UNAUTHENTICATED));
            return auth.request(AuthApi.DELETE, admin, new JsonObject().put(AuthApi.ACCOUNT, "alice"));
          })
          .compose(deleted -> failure(auth.request(AuthApi.RENEW, alice, new JsonObject())))))
      .onComplete(ctx.succeeding(whenDeleted -> ctx.verify(() -> {
        assertThat(whenDeleted).isEqualTo(Failure.UNAUTHENTICATED);
        ctx.completeNow();
      })));
  }
}
