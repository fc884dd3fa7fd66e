package dev.ferry.auth;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static dev.ferry.auth.AuthFixture.addUser;
import static dev.ferry.auth.AuthFixture.adminToken;
import static dev.ferry.auth.AuthFixture.code;
import static org.assertj.core.api.Assertions.assertThat;

/** Logins the credential cache lets in without a PBKDF2 verify, counted as the equal-cost tests count them. */
@ExtendWith(VertxExtension.class)
class CachedLoginTest {

  private static final String PASSWORD = "alice-password";

  @TempDir
  Path dataDir;

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final AuthVerticle verticle = new AuthVerticle(clock::get, new PrintStream(PrintStream.nullOutputStream()));
  /** Verifies run so far, as each step of a test saw them. */
  private final List<Long> verifies = new ArrayList<>();
  private final List<String> codes = new ArrayList<>();

  private Future<String> startWithAlice(Vertx vertx, BusClient auth) {
    return AuthFixture.deploy(vertx, verticle, AuthFixture.config(dataDir).put("credentialCacheSeconds", 300))
      .compose(id -> adminToken(auth))
      .compose(admin -> addUser(auth, admin, "alice", PASSWORD).map(admin));
  }

  /** Logs alice in with {@code password} and notes the answer and the verify count after it. */
  private Future<Void> login(BusClient auth, String password) {
    return code(auth, "alice", password, "user").map(code -> {
      codes.add(code);
      verifies.add(verticle.hasher().verifications());
      return null;
    });
  }

  /** How many verifies each login after the first ran. */
  private List<Long> verifiesPerLogin() {
    List<Long> steps = new ArrayList<>();
    for (int i = 1; i < verifies.size(); i++) {
      steps.add(verifies.get(i) - verifies.get(i - 1));
    }
    return steps;
  }

  @Test
  void theRightPasswordAgainIsLetInWithoutAVerifyAWrongOneAlwaysPays(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    startWithAlice(vertx, auth)
      .compose(admin -> login(auth, PASSWORD))
      .compose(v -> login(auth, PASSWORD))
      .compose(v -> login(auth, "wrong-password"))
      .compose(v -> login(auth, PASSWORD))
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(codes).containsExactly("1", "1", "2", "1");
        assertThat(verifiesPerLogin()).containsExactly(0L, 1L, 0L);
        ctx.completeNow();
      })));
  }

  @Test
  void wrongPasswordsAfterACachedLoginStillLockTheAccount(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    Future<Void> chain = startWithAlice(vertx, auth).compose(admin -> login(auth, PASSWORD));
    for (int i = 0; i < AuthOptions.DEFAULT_LOCKOUT_THRESHOLD; i++) {
      chain = chain.compose(v -> login(auth, "wrong-password"));
    }
    chain.compose(v -> login(auth, PASSWORD))
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(codes).endsWith("2", "9");
        assertThat(verifiesPerLogin()).containsExactly(1L, 1L, 1L, 1L, 1L, 0L);
        ctx.completeNow();
      })));
  }

  @Test
  void passwdLockAndUserdelForgetTheLogin(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    String[] admin = new String[1];
    startWithAlice(vertx, auth)
      .compose(token -> {
        admin[0] = token;
        return login(auth, PASSWORD);
      })
      // lock: the cached login is refused, and after unlock it pays again
      .compose(v -> auth.request(AuthApi.LOCK, admin[0], new JsonObject().put(AuthApi.ACCOUNT, "alice")))
      .compose(v -> auth.request(AuthApi.UNLOCK, admin[0], new JsonObject().put(AuthApi.ACCOUNT, "alice")))
      .compose(v -> login(auth, PASSWORD))
      // passwd (to the same password): the new hash is verified in full
      .compose(v -> auth.request(AuthApi.PASSWD, admin[0], new JsonObject().put(AuthApi.ACCOUNT, "alice").put(AuthApi.PASSWORD, PASSWORD)))
      .compose(v -> login(auth, PASSWORD))
      // userdel and useradd again
      .compose(v -> auth.request(AuthApi.DELETE, admin[0], new JsonObject().put(AuthApi.ACCOUNT, "alice")))
      .compose(v -> addUser(auth, admin[0], "alice", PASSWORD))
      .compose(v -> login(auth, PASSWORD))
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(codes).containsExactly("1", "1", "1", "1");
        assertThat(verifiesPerLogin()).containsExactly(1L, 1L, 1L);
        ctx.completeNow();
      })));
  }

  @Test
  void aRememberedLoginExpires(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    startWithAlice(vertx, auth)
      .compose(admin -> login(auth, PASSWORD))
      .compose(v -> {
        clock.addAndGet(299_000);
        return login(auth, PASSWORD);
      })
      .compose(v -> {
        clock.addAndGet(2_000);
        return login(auth, PASSWORD);
      })
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(codes).containsExactly("1", "1", "1");
        assertThat(verifiesPerLogin()).containsExactly(0L, 1L);
        ctx.completeNow();
      })));
  }
}
