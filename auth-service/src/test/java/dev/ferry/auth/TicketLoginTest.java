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

import static dev.ferry.auth.AuthFixture.addUser;
import static dev.ferry.auth.AuthFixture.adminToken;
import static dev.ferry.auth.AuthFixture.code;
import static dev.ferry.auth.AuthFixture.token;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session tickets on auth-service's bus address, with an injected clock: minted for the caller's
 * session, let the same account and role in with no password verify until they expire, and are
 * refused once the account changed. Verifies are counted as the equal-cost tests count them.
 */
@ExtendWith(VertxExtension.class)
class TicketLoginTest {

  private static final String PASSWORD = "alice-password";
  private static final String ADDRESS = "192.0.2.90";

  @TempDir
  Path dataDir;

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final AuthVerticle verticle = new AuthVerticle(clock::get, new PrintStream(PrintStream.nullOutputStream()));
  private final List<String> codes = new ArrayList<>();
  private String admin;

  /** Alice exists; answers a session token of hers. */
  private Future<String> startWithAlice(Vertx vertx, BusClient auth, JsonObject settings) {
    return AuthFixture.deploy(vertx, verticle, AuthFixture.config(dataDir).put("credentialCacheSeconds", 0).mergeIn(settings))
      .compose(id -> adminToken(auth))
      .compose(token -> {
        admin = token;
        return addUser(auth, admin, "alice", PASSWORD);
      })
      .compose(v -> token(auth, "alice", PASSWORD, "user"));
  }

  private static Future<String> ticket(BusClient auth, String session) {
    return auth.request(AuthApi.TICKET, session, new JsonObject()).map(reply -> reply.getString(AuthApi.TICKET_FIELD));
  }

  /** A ticket login; notes its code, or the failure's name when it was not tried. */
  private Future<JsonObject> ticketLogin(BusClient auth, String account, String ticket) {
    return auth.request(AuthApi.TICKET_LOGIN, null, new JsonObject()
        .put(AuthApi.ACCOUNT, account).put(AuthApi.TICKET_FIELD, ticket).put(AuthApi.CLIENT_ADDRESS, ADDRESS))
      .onSuccess(reply -> codes.add(reply.getString(AuthApi.CODE)))
      .recover(error -> {
        codes.add(Failure.of(error).name());
        return Future.succeededFuture(new JsonObject());
      });
  }

  private Future<JsonObject> admin(BusClient auth, String action, String account) {
    return auth.request(action, admin, new JsonObject().put(AuthApi.ACCOUNT, account));
  }

  @Test
  void aTicketLogsTheSameAccountInAgainWithoutAVerifyUntilItExpires(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    String[] minted = new String[1];
    long[] verifies = new long[2];
    JsonObject[] first = new JsonObject[1];
    startWithAlice(vertx, auth, new JsonObject().put("sessionTicketSeconds", 120))
      .compose(session -> ticket(auth, session))
      .compose(t -> {
        minted[0] = t;
        verifies[0] = verticle.hasher().verifications();
        return ticketLogin(auth, "alice", t);
      })
      .compose(reply -> {
        first[0] = reply;
        return ticketLogin(auth, "alice", minted[0]);
      })
      .compose(reply -> {
        verifies[1] = verticle.hasher().verifications();
        clock.addAndGet(119_000);
        return ticketLogin(auth, "alice", minted[0]);
      })
      .compose(reply -> {
        clock.addAndGet(1_000);
        return ticketLogin(auth, "alice", minted[0]);
      })
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(minted[0]).contains(".").hasSizeLessThanOrEqualTo(SessionTickets.MAX_LENGTH).doesNotContain("*");
        assertThat(codes).containsExactly("1", "1", "1", "2");
        assertThat(first[0].getString(AuthApi.ROLE)).isEqualTo("user");
        assertThat(first[0].getString(AuthApi.TOKEN)).isNotEmpty();
        assertThat(verifies[1]).isEqualTo(verifies[0]);
        ctx.completeNow();
      })));
  }

  @Test
  void anotherAccountGarbageAndAChangedAccountAreRefused(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    String[] minted = new String[1];
    startWithAlice(vertx, auth, new JsonObject())
      .compose(session -> ticket(auth, session))
      .compose(t -> {
        minted[0] = t;
        return ticketLogin(auth, "admin", t);
      })
      .compose(v -> ticketLogin(auth, "alice", "garbage"))
      .compose(v -> ticketLogin(auth, "alice", minted[0].substring(0, minted[0].length() - 2) + "AA"))
      .compose(v -> ticketLogin(auth, "nobody", minted[0]))
      // locked after the ticket was made: 9, and after unlock it works again
      .compose(v -> admin(auth, AuthApi.LOCK, "alice"))
      .compose(v -> ticketLogin(auth, "alice", minted[0]))
      .compose(v -> admin(auth, AuthApi.UNLOCK, "alice"))
      .compose(v -> ticketLogin(auth, "alice", minted[0]))
      // a new password ends every ticket of the account
      .compose(v -> auth.request(AuthApi.PASSWD, admin, new JsonObject().put(AuthApi.ACCOUNT, "alice").put(AuthApi.PASSWORD, "new-password-1")))
      .compose(v -> ticketLogin(auth, "alice", minted[0]))
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(codes).containsExactly("2", "2", "2", "2", "9", "1", "2");
        ctx.completeNow();
      })));
  }

  @Test
  void aLockedOrDeletedAccountGetsNoTicket(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    String[] session = new String[1];
    List<Failure> failures = new ArrayList<>();
    startWithAlice(vertx, auth, new JsonObject())
      .compose(s -> {
        session[0] = s;
        return admin(auth, AuthApi.LOCK, "alice");
      })
      .compose(v -> AuthFixture.failure(ticket(auth, session[0])))
      .compose(f -> {
        failures.add(f);
        return admin(auth, AuthApi.DELETE, "alice");
      })
      .compose(v -> AuthFixture.failure(ticket(auth, session[0])))
      .onComplete(ctx.succeeding(f -> ctx.verify(() -> {
        failures.add(f);
        // The lock revoked the session's token: it asks for nothing any more.
        assertThat(failures).containsExactly(Failure.UNAUTHENTICATED, Failure.UNAUTHENTICATED);
        ctx.completeNow();
      })));
  }

  @Test
  void refusedTicketsCountAgainstTheAddressButNotTowardTheLockout(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    Future<?> chain = startWithAlice(vertx, auth, new JsonObject().put("loginFailuresPerAddress", 8));
    // More refused tickets than the lockout threshold: alice is not locked by them.
    for (int i = 0; i < AuthOptions.DEFAULT_LOCKOUT_THRESHOLD + 2; i++) {
      chain = chain.compose(v -> ticketLogin(auth, "alice", "not-a-ticket." + "A".repeat(43)));
    }
    chain.compose(v -> code(auth, "alice", PASSWORD, "user"))
      .compose(loginCode -> {
        codes.add(loginCode);
        return ticketLogin(auth, "alice", "garbage");
      })
      .compose(v -> ticketLogin(auth, "alice", "garbage"))
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        // 7 refusals, alice's password login (from no address) still 1, then the 8th refusal
        // reaches the address's limit and the next is not tried.
        assertThat(codes).containsExactly("2", "2", "2", "2", "2", "2", "2", "1", "2", "RATE_LIMITED");
        ctx.completeNow();
      })));
  }
}
