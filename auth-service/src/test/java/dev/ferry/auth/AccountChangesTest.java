package dev.ferry.auth;

import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static dev.ferry.auth.AuthFixture.addUser;
import static dev.ferry.auth.AuthFixture.adminToken;
import static dev.ferry.auth.AuthFixture.code;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one auth replica hears of the account changes another made: the announcements, and the
 * credential cache and failed-login counts they make a replica drop. The other replica is an
 * {@link AccountChanges} of the test's own on the same event bus.
 */
@ExtendWith(VertxExtension.class)
class AccountChangesTest {

  private static final String PASSWORD = "alice-password";
  private static final long DEADLINE_MILLIS = 10_000;

  @TempDir
  Path dataDir;

  private final AuthVerticle verticle = new AuthVerticle(System::currentTimeMillis, new PrintStream(PrintStream.nullOutputStream()));

  private Future<String> startWithAlice(Vertx vertx, BusClient auth) {
    return AuthFixture.deploy(vertx, verticle, AuthFixture.config(dataDir).put("credentialCacheSeconds", 300))
      .compose(id -> adminToken(auth))
      .compose(admin -> addUser(auth, admin, "alice", PASSWORD).map(admin));
  }

  @Test
  void eachReplicaHearsTheOthersChangesAndNotItsOwn(Vertx vertx, VertxTestContext ctx) {
    List<String> heardByFirst = new CopyOnWriteArrayList<>();
    List<String> heardBySecond = new CopyOnWriteArrayList<>();
    Future.all(
        AccountChanges.start(vertx, (account, change) -> heardByFirst.add(account + " " + change.wire())),
        AccountChanges.start(vertx, (account, change) -> heardBySecond.add(account + " " + change.wire())))
      .compose(both -> {
        AccountChanges first = both.resultAt(0);
        AccountChanges second = both.resultAt(1);
        // Not an announcement: ignored, and the consumer goes on.
        vertx.eventBus().publish(Addresses.ACCOUNT_CHANGES, new JsonObject().put(AccountChanges.ACCOUNT, "../x")
          .put(AccountChanges.CHANGE, "password").put(AccountChanges.REPLICA, "elsewhere"));
        first.announce("alice", AccountChanges.Change.PASSWORD);
        second.announce("bob", AccountChanges.Change.UNLOCKED);
        return until(vertx, () -> Future.succeededFuture(!heardByFirst.isEmpty() && !heardBySecond.isEmpty()), b -> b);
      })
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        // Each heard its own announcement (sent first) before the other's: it was dropped.
        assertThat(heardByFirst).containsExactly("bob unlocked");
        assertThat(heardBySecond).containsExactly("alice password");
        ctx.completeNow();
      })));
  }

  @Test
  void anotherReplicasPasswordChangeDropsTheCachedLogin(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    long[] verifies = new long[2];
    int[] remembered = new int[1];
    startWithAlice(vertx, auth)
      .compose(admin -> code(auth, "alice", PASSWORD, "user"))
      .compose(code -> verticle.rememberedAndCounted())
      .compose(counts -> {
        // The admin's login and alice's.
        remembered[0] = counts[0];
        return AccountChanges.start(vertx, (account, change) -> { });
      })
      .compose(other -> {
        verifies[0] = verticle.hasher().verifications();
        other.announce("alice", AccountChanges.Change.PASSWORD);
        return until(vertx, verticle::rememberedAndCounted, counts -> counts[0] == remembered[0] - 1);
      })
      .compose(v -> code(auth, "alice", PASSWORD, "user"))
      .onComplete(ctx.succeeding(code -> ctx.verify(() -> {
        verifies[1] = verticle.hasher().verifications();
        assertThat(remembered[0]).isEqualTo(2);
        assertThat(code).isEqualTo("1");
        assertThat(verifies[1] - verifies[0]).as("the login after the change paid a full verify").isEqualTo(1);
        ctx.completeNow();
      })));
  }

  @Test
  void anotherReplicasUnlockLiftsTheLockoutHere(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    Future<?> chain = startWithAlice(vertx, auth);
    for (int i = 0; i < AuthOptions.DEFAULT_LOCKOUT_THRESHOLD; i++) {
      chain = chain.compose(v -> code(auth, "alice", "wrong-password", "user"));
    }
    String[] before = new String[1];
    chain.compose(v -> code(auth, "alice", PASSWORD, "user"))
      .compose(code -> {
        before[0] = code;
        return AccountChanges.start(vertx, (account, change) -> { });
      })
      .compose(other -> {
        other.announce("alice", AccountChanges.Change.UNLOCKED);
        return until(vertx, verticle::rememberedAndCounted, counts -> counts[1] == 0);
      })
      .compose(v -> code(auth, "alice", PASSWORD, "user"))
      .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
        assertThat(before[0]).as("locked out after the wrong guesses").isEqualTo("9");
        assertThat(after).isEqualTo("1");
        ctx.completeNow();
      })));
  }

  @Test
  void changesMadeHereAreAnnouncedToTheOtherReplicas(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    List<String> heard = new CopyOnWriteArrayList<>();
    String[] admin = new String[1];
    AccountChanges.start(vertx, (account, change) -> heard.add(account + " " + change.wire()))
      .compose(other -> startWithAlice(vertx, auth))
      .compose(token -> {
        admin[0] = token;
        return auth.request(AuthApi.PASSWD, token, new JsonObject().put(AuthApi.ACCOUNT, "alice").put(AuthApi.PASSWORD, "new-password"));
      })
      .compose(v -> auth.request(AuthApi.LOCK, admin[0], new JsonObject().put(AuthApi.ACCOUNT, "alice")))
      .compose(v -> auth.request(AuthApi.UNLOCK, admin[0], new JsonObject().put(AuthApi.ACCOUNT, "alice")))
      .compose(v -> auth.request(AuthApi.DELETE, admin[0], new JsonObject().put(AuthApi.ACCOUNT, "alice")))
      .compose(v -> until(vertx, () -> Future.succeededFuture(heard.size()), n -> n >= 5))
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(heard).containsExactly("alice added", "alice password", "alice locked", "alice unlocked", "alice deleted");
        ctx.completeNow();
      })));
  }

  /** Asks {@code probe} again every few milliseconds until {@code done} holds, failing after a deadline. */
  private static <T> Future<Void> until(Vertx vertx, Supplier<Future<T>> probe, Predicate<T> done) {
    return until(vertx, probe, done, System.currentTimeMillis() + DEADLINE_MILLIS);
  }

  private static <T> Future<Void> until(Vertx vertx, Supplier<Future<T>> probe, Predicate<T> done, long deadline) {
    return probe.get().compose(value -> {
      if (done.test(value)) {
        return Future.succeededFuture();
      }
      if (System.currentTimeMillis() > deadline) {
        return Future.failedFuture(new AssertionError("condition not met within " + DEADLINE_MILLIS + " ms"));
      }
      return vertx.timer(10).compose(t -> until(vertx, probe, done, deadline));
    });
  }
}
