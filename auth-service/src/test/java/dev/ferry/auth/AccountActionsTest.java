package dev.ferry.auth;

import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static dev.ferry.auth.AuthFixture.ADMIN_PASSWORD;
import static dev.ferry.auth.AuthFixture.addUser;
import static dev.ferry.auth.AuthFixture.adminToken;
import static dev.ferry.auth.AuthFixture.code;
import static dev.ferry.auth.AuthFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class AccountActionsTest {

  private static final String BOB_PASSWORD = "bob-password";

  @TempDir
  Path dataDir;

  private static JsonObject account(String name) {
    return new JsonObject().put(AuthApi.ACCOUNT, name);
  }

  private static JsonObject newAccount(String name, String password, String role) {
    return new JsonObject().put(AuthApi.ACCOUNT, name).put(AuthApi.PASSWORD, password).put(AuthApi.ROLE, role);
  }

  /** Runs the requests one after another and collects the failure each ended with. */
  private static Future<List<Failure>> failures(List<Supplier<Future<?>>> requests) {
    List<Failure> seen = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Supplier<Future<?>> request : requests) {
      chain = chain.compose(v -> failure(request.get())).map(f -> {
        seen.add(f);
        return null;
      });
    }
    return chain.map(seen);
  }

  /** Deploys, adds bob (a user), and hands on the admin's token. */
  private Future<String> startWithBob(Vertx vertx, BusClient auth) {
    return AuthFixture.deploy(vertx, dataDir)
      .compose(id -> adminToken(auth))
      .compose(admin -> addUser(auth, admin, "bob", BOB_PASSWORD).map(admin));
  }

  @Test
  void adminAddsListsGetsAndDeletes(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    startWithBob(vertx, auth)
      .compose(admin -> auth.request(AuthApi.ADD, admin, newAccount("carol.2", "carol-password", "admin"))
        .compose(added -> auth.request(AuthApi.LIST, admin, new JsonObject()))
        .compose(list -> {
          ctx.verify(() -> assertThat(list.getJsonArray(AuthApi.ACCOUNTS)).isEqualTo(new JsonArray()
            .add(new JsonObject().put("account", "admin").put("role", "admin").put("locked", false))
            .add(new JsonObject().put("account", "bob").put("role", "user").put("locked", false))
            .add(new JsonObject().put("account", "carol.2").put("role", "admin").put("locked", false))));
          return code(auth, "carol.2", "carol-password", "admin");
        })
        .compose(carolLogin -> {
          ctx.verify(() -> assertThat(carolLogin).isEqualTo("1"));
          return auth.request(AuthApi.GET, admin, account("bob"));
        })
        .compose(bob -> {
          ctx.verify(() -> assertThat(bob).isEqualTo(new JsonObject().put("account", "bob").put("role", "user")
            .put("locked", false)));
          return auth.request(AuthApi.DELETE, admin, account("carol.2"));
        })
        .compose(deleted -> {
          ctx.verify(() -> assertThat(deleted.getString(AuthApi.ROLE)).isEqualTo("admin"));
          return code(auth, "carol.2", "carol-password", "admin");
        }))
      .onComplete(ctx.succeeding(afterDelete -> ctx.verify(() -> {
        assertThat(afterDelete).isEqualTo("0");
        ctx.completeNow();
      })));
  }

  @Test
  void adminActionsFailAsDocumented(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    startWithBob(vertx, auth)
      .compose(admin -> failures(List.of(
        () -> auth.request(AuthApi.ADD, admin, newAccount("Bad Name", "long-enough", "user")),
        () -> auth.request(AuthApi.ADD, admin, newAccount("", "long-enough", "user")),
        () -> auth.request(AuthApi.ADD, admin, newAccount("dave", "long-enough", "root")),
        () -> auth.request(AuthApi.ADD, admin, newAccount("dave", "short", "user")),
        () -> auth.request(AuthApi.ADD, admin, new JsonObject().put(AuthApi.ACCOUNT, "dave").put(AuthApi.ROLE, "user")),
        () -> auth.request(AuthApi.ADD, admin, newAccount("bob", "long-enough", "user")),
        () -> auth.request(AuthApi.DELETE, admin, account("admin")),
        () -> auth.request(AuthApi.DELETE, admin, account("nobody")),
        () -> auth.request(AuthApi.GET, admin, account("nobody")),
        () -> auth.request(AuthApi.LOCK, admin, account("admin")),
        () -> auth.request(AuthApi.LOCK, admin, account("nobody")),
        () -> auth.request(AuthApi.UNLOCK, admin, account("nobody")),
        () -> auth.request(AuthApi.PASSWD, admin, account("nobody").put(AuthApi.PASSWORD, "long-enough")),
        () -> auth.request(AuthApi.PASSWD, admin, account("bob").put(AuthApi.PASSWORD, "short")),
        () -> auth.request(AuthApi.GET, admin, new JsonObject()),
        () -> auth.request(AuthApi.GET, admin, new JsonObject().put(AuthApi.ACCOUNT, 42)),
        () -> auth.request("no-such-action", admin, new JsonObject()),
        () -> auth.request(AuthApi.LIST, null, new JsonObject()),
        () -> auth.request(AuthApi.LIST, "not.a.token", new JsonObject()))))
      .onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
        assertThat(seen).containsExactly(
          Failure.BAD_NAME, Failure.BAD_NAME, Failure.BAD_REQUEST, Failure.WEAK_PASSWORD, Failure.WEAK_PASSWORD,
          Failure.ALREADY_EXISTS,
          Failure.NO_PERMISSION, Failure.NO_SUCH_ACCOUNT,
          Failure.NO_SUCH_ACCOUNT,
          Failure.NO_PERMISSION, Failure.NO_SUCH_ACCOUNT, Failure.NO_SUCH_ACCOUNT,
          Failure.NO_SUCH_ACCOUNT, Failure.WEAK_PASSWORD,
          Failure.BAD_REQUEST, Failure.BAD_REQUEST, Failure.BAD_REQUEST,
          Failure.UNAUTHENTICATED, Failure.UNAUTHENTICATED);
        ctx.completeNow();
      })));
  }

  @Test
  void aUserCannotTakeAdminActions(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    startWithBob(vertx, auth)
      .compose(admin -> AuthFixture.token(auth, "bob", BOB_PASSWORD, "user"))
      .compose(bob -> failures(List.<Supplier<Future<?>>>of(
          () -> auth.request(AuthApi.LIST, bob, new JsonObject()),
          () -> auth.request(AuthApi.ADD, bob, newAccount("eve", "eve-password", "admin")),
          () -> auth.request(AuthApi.DELETE, bob, account("admin")),
          () -> auth.request(AuthApi.LOCK, bob, account("admin")),
          () -> auth.request(AuthApi.UNLOCK, bob, account("bob")),
          () -> auth.request(AuthApi.GET, bob, account("admin")),
          () -> auth.request(AuthApi.PASSWD, bob, account("admin").put(AuthApi.PASSWORD, "taken-over")
            .put(AuthApi.OLD_PASSWORD, BOB_PASSWORD))))
        .compose(seen -> {
          ctx.verify(() -> assertThat(seen).containsOnly(Failure.NO_PERMISSION).hasSize(7));
          return auth.request(AuthApi.GET, bob, account("bob"));
        }))
      .onComplete(ctx.succeeding(self -> ctx.verify(() -> {
        assertThat(self).isEqualTo(new JsonObject().put("account", "bob").put("role", "user").put("locked", false));
        ctx.completeNow();
      })));
  }

  @Test
  void aUserChangesTheirOwnPasswordWithTheOldOne(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    startWithBob(vertx, auth)
      .compose(admin -> AuthFixture.token(auth, "bob", BOB_PASSWORD, "user"))
      .compose(bob -> failures(List.<Supplier<Future<?>>>of(
          () -> auth.request(AuthApi.PASSWD, bob, account("bob").put(AuthApi.PASSWORD, "new-bob-password")),
          () -> auth.request(AuthApi.PASSWD, bob, account("bob").put(AuthApi.PASSWORD, "new-bob-password")
            .put(AuthApi.OLD_PASSWORD, "not-the-old-one")),
          () -> auth.request(AuthApi.PASSWD, bob, account("bob").put(AuthApi.PASSWORD, "short")
            .put(AuthApi.OLD_PASSWORD, BOB_PASSWORD))))
        .compose(seen -> {
          ctx.verify(() -> assertThat(seen).containsExactly(Failure.BAD_CREDENTIALS, Failure.BAD_CREDENTIALS,
            Failure.WEAK_PASSWORD));
          return auth.request(AuthApi.PASSWD, bob, account("bob").put(AuthApi.PASSWORD, "new-bob-password")
            .put(AuthApi.OLD_PASSWORD, BOB_PASSWORD));
        }))
      .compose(changed -> Future.all(code(auth, "bob", BOB_PASSWORD, "user"),
        code(auth, "bob", "new-bob-password", "user")))
      .onComplete(ctx.succeeding(codes -> ctx.verify(() -> {
        assertThat(List.of(codes.resultAt(0), codes.resultAt(1))).containsExactly("2", "1");
        ctx.completeNow();
      })));
  }

  @Test
  void theAdminSetsAnyPasswordWithoutTheOldOne(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    startWithBob(vertx, auth)
      .compose(admin -> auth.request(AuthApi.PASSWD, admin, account("bob").put(AuthApi.PASSWORD, "reset-by-admin"))
        .compose(v -> auth.request(AuthApi.PASSWD, admin, account("admin").put(AuthApi.PASSWORD, "new-admin-pass"))))
      .compose(v -> Future.all(code(auth, "bob", "reset-by-admin", "user"),
        code(auth, "admin", "new-admin-pass", "admin"), code(auth, "admin", ADMIN_PASSWORD, "admin")))
      .onComplete(ctx.succeeding(codes -> ctx.verify(() -> {
        assertThat(List.of(codes.resultAt(0), codes.resultAt(1), codes.resultAt(2))).containsExactly("1", "1", "2");
        ctx.completeNow();
      })));
  }

  @Test
  void lockAndUnlockAreShownAndObeyed(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    startWithBob(vertx, auth)
      .compose(admin -> auth.request(AuthApi.LOCK, admin, account("bob"))
        .compose(v -> auth.request(AuthApi.GET, admin, account("bob")))
        .compose(shown -> {
          ctx.verify(() -> assertThat(shown.getBoolean(AuthApi.LOCKED)).isTrue());
          return code(auth, "bob", BOB_PASSWORD, "user");
        })
        .compose(whileLocked -> {
          ctx.verify(() -> assertThat(whileLocked).isEqualTo("9"));
          return auth.request(AuthApi.UNLOCK, admin, account("bob"));
        })
        .compose(v -> auth.request(AuthApi.GET, admin, account("bob"))))
      .compose(shown -> {
        ctx.verify(() -> assertThat(shown.getBoolean(AuthApi.LOCKED)).isFalse());
        return code(auth, "bob", BOB_PASSWORD, "user");
      })
      .onComplete(ctx.succeeding(afterUnlock -> ctx.verify(() -> {
        assertThat(afterUnlock).isEqualTo("1");
        ctx.completeNow();
      })));
  }

  @Test
  void aLockedAdminsTokenLosesItsPowers(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    startWithBob(vertx, auth)
      .compose(admin -> auth.request(AuthApi.ADD, admin, newAccount("second", "second-password", "admin"))
        .compose(v -> AuthFixture.token(auth, "second", "second-password", "admin"))
        .compose(second -> auth.request(AuthApi.LOCK, admin, account("second"))
          .compose(v -> failure(auth.request(AuthApi.LIST, second, new JsonObject())))))
      .onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
        // The lock revoked the token outright.
        assertThat(seen).isEqualTo(Failure.UNAUTHENTICATED);
        ctx.completeNow();
      })));
  }
}
