package dev.ferry.auth;

import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.Failure;
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

import static dev.ferry.auth.AuthFixture.ADMIN_PASSWORD;
import static dev.ferry.auth.AuthFixture.adminToken;
import static dev.ferry.auth.AuthFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** The bounded hashing queue and the limit of failed logins per client address, on a real auth verticle. */
@ExtendWith(VertxExtension.class)
class LoginLimitsTest {

  @TempDir
  Path dataDir;

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final AuthVerticle verticle = new AuthVerticle(clock::get, new PrintStream(PrintStream.nullOutputStream()));

  private static Future<JsonObject> login(BusClient auth, String account, String password, String address) {
    return auth.request(AuthApi.LOGIN, null, new JsonObject().put(AuthApi.ACCOUNT, account)
      .put(AuthApi.PASSWORD, password).put(AuthApi.ROLE, account.equals("admin") ? "admin" : "user")
      .put(AuthApi.CLIENT_ADDRESS, address));
  }

  private static Future<String> code(BusClient auth, String account, String password, String address) {
    return login(auth, account, password, address).map(reply -> reply.getString(AuthApi.CODE));
  }

  @Test
  void aFullHashingQueueAnswersBusyAtOnceAndHashingGoesOnAfter(Vertx vertx, VertxTestContext ctx) {
    // One thread and one waiting place; the default iterations make each hash last long enough
    // (about 0.1 s) that the two admitted ones are still there when the refusals come back.
    // No credential cache: the admin's right password must be hashed again, as a first login is.
    JsonObject config = AuthFixture.config(dataDir).put("pbkdf2Iterations", AuthOptions.DEFAULT_PBKDF2_ITERATIONS)
      .put("hashThreads", 1).put("hashQueue", 1).put("credentialCacheSeconds", 0);
    BusClient auth = AuthFixture.client(vertx);
    AuthFixture.deploy(vertx, verticle, config)
      .compose(id -> adminToken(auth))
      .compose(admin -> {
        List<Future<String>> admitted = List.of(code(auth, "nobody", "guess-1", "192.0.2.1"),
          code(auth, "admin", "wrong-password", "192.0.2.2"));
        List<Future<Integer>> refused = new ArrayList<>();
        for (Future<?> request : List.of(login(auth, "admin", ADMIN_PASSWORD, "192.0.2.3"),
          login(auth, "nobody", "guess-2", "192.0.2.4"),
          AuthFixture.addUser(auth, admin, "alice", "alice-password"))) {
          // How many hashes are still running or waiting when the refusal arrives.
          refused.add(failure(request).map(f -> {
            ctx.verify(() -> assertThat(f).isEqualTo(Failure.BUSY));
            return verticle.hasher().admitted();
          }));
        }
        return Future.all(refused).compose(r -> {
          ctx.verify(() -> assertThat(r.<Integer>list()).containsOnly(2));
          return Future.all(admitted);
        });
      })
      .compose(admitted -> {
        ctx.verify(() -> assertThat(admitted.<String>list()).containsExactly("0", "2"));
        return code(auth, "admin", ADMIN_PASSWORD, "192.0.2.3");
      })
      .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
        assertThat(after).isEqualTo("1");
        assertThat(verticle.hasher().admitted()).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void loginsFromOneAddressAtOnceHashNoMoreThanTheLimitOnceOneFailed(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = AuthFixture.config(dataDir).put("loginFailuresPerAddress", 3);
    BusClient auth = AuthFixture.client(vertx);
    long[] verifiesBefore = new long[1];
    AuthFixture.deploy(vertx, verticle, config)
      .compose(id -> {
        verifiesBefore[0] = verticle.hasher().verifications();
        return code(auth, "nobody", "first-guess", "192.0.2.80");
      })
      .compose(first -> {
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          answers.add(code(auth, "nobody", "guess-" + i, "192.0.2.80")
            .recover(error -> Future.succeededFuture(Failure.of(error).name())));
        }
        return Future.all(answers);
      })
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        List<String> answers = all.list();
        assertThat(answers).filteredOn("0"::equals).hasSize(2);
        assertThat(answers).filteredOn("RATE_LIMITED"::equals).hasSize(8);
        assertThat(verticle.hasher().verifications() - verifiesBefore[0]).isEqualTo(3);
        ctx.completeNow();
      })));
  }

  @Test
  void manyGoodLoginsFromOneAddressAtOnceAllPass(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = AuthFixture.config(dataDir).put("loginFailuresPerAddress", 3);
    BusClient auth = AuthFixture.client(vertx);
    AuthFixture.deploy(vertx, verticle, config)
      .compose(id -> {
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          answers.add(code(auth, "admin", AuthFixture.ADMIN_PASSWORD, "192.0.2.81"));
        }
        return Future.all(answers);
      })
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(all.<String>list()).containsOnly("1").hasSize(10);
        ctx.completeNow();
      })));
  }

  @Test
  void anAddressOverItsFailuresIsRefusedWithoutHashingUntilTheMinuteIsOver(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = AuthFixture.config(dataDir).put("loginFailuresPerAddress", 3);
    BusClient auth = AuthFixture.client(vertx);
    String attacker = "192.0.2.66";
    long[] verifiesBefore = new long[1];
    AuthFixture.deploy(vertx, verticle, config)
      // A success counts nothing; two unknown accounts and a wrong password from one address do.
      .compose(id -> code(auth, "admin", ADMIN_PASSWORD, attacker))
      .compose(ok -> code(auth, "nobody", "guess", attacker))
      .compose(c -> code(auth, "admin", "wrong-password", attacker))
      .compose(c -> code(auth, "ghost", "guess", attacker))
      .compose(third -> {
        ctx.verify(() -> assertThat(third).isEqualTo("0"));
        verifiesBefore[0] = verticle.hasher().verifications();
        return failure(login(auth, "admin", ADMIN_PASSWORD, attacker));
      })
      .compose(limited -> {
        ctx.verify(() -> {
          assertThat(limited).isEqualTo(Failure.RATE_LIMITED);
          assertThat(verticle.hasher().verifications()).isEqualTo(verifiesBefore[0]);
        });
        return failure(login(auth, "nobody", "guess", attacker));
      })
      .compose(limited -> {
        ctx.verify(() -> assertThat(limited).isEqualTo(Failure.RATE_LIMITED));
        // Another address, and a caller that gives none, are not held back.
        return Future.all(code(auth, "admin", ADMIN_PASSWORD, "192.0.2.67"), code(auth, "admin", ADMIN_PASSWORD, ""));
      })
      .compose(others -> {
        ctx.verify(() -> assertThat(others.<String>list()).containsExactly("1", "1"));
        clock.addAndGet(AddressFailureLedger.WINDOW_MILLIS);
        return code(auth, "admin", ADMIN_PASSWORD, attacker);
      })
      .onComplete(ctx.succeeding(afterTheMinute -> ctx.verify(() -> {
        assertThat(afterTheMinute).isEqualTo("1");
        ctx.completeNow();
      })));
  }
}
