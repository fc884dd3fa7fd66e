package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.GatewayMetrics;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Services;
import dev.ferry.gateway.Session;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * {@code login}: {@code data} is the role asked for, {@code admin} or {@code user}; the
 * account and password are the frame's. Answers {@code 1*<home>*<listing>}, or the seed's codes
 * {@code 0} (no such account), {@code 2} (wrong account, password or role), {@code 9} (locked),
 * or {@code BUSY*SESSIONS} when the account already has the most sessions a gateway allows.
 * A connection is closed after {@code maxLoginFailuresPerConnection} failed logins
 * (PROTOCOL.md s3). The password goes to auth-service and nowhere else: never logged, never
 * echoed. The client's address goes with it, for auth-service's limit of failed logins per
 * address.
 *
 * <p>Extension: a login auth-service did not try answers {@code BUSY*HASHING} (its hashing queue
 * is full) or {@code BUSY*RATE_LIMITED} (too many failed logins from this address lately). Those
 * are no verdict on the password, so they do not count as failed logins of the connection.
 */
final class LoginCommand implements CommandHandler {

  private static final System.Logger LOG = System.getLogger(LoginCommand.class.getName());
  /**
   * How long the first try of a login waits for auth-service before it is sent once more. A
   * request the event bus routed to an auth replica that died without a word is never answered
   * (only its timeout ends it) until the cluster notices the death; the second try goes to
   * another replica. Longer than a login takes with auth's hashing queue full, which auth
   * answers BUSY rather than let it wait.
   */
  static final long FIRST_TRY_MILLIS = 10_000;

  private final Services services;
  private final int maxFailures;

  LoginCommand(Services services, int maxFailures) {
    this.services = services;
    this.maxFailures = maxFailures;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    // A login on a logged-in session first logs it out: a failed one leaves no login behind.
    session.logout();
    Optional<Role> role = Role.parse(header.data());
    if (role.isEmpty()) {
      // PROTOCOL.md s3: 2 also answers "a role the account does not have".
      GatewayMetrics.login(Replies.LOGIN_BAD_CREDENTIALS);
      return Future.succeededFuture(failed(session, Replies.LOGIN_BAD_CREDENTIALS));
    }
    JsonObject request = new JsonObject()
      .put(AuthApi.ACCOUNT, header.account())
      .put(AuthApi.PASSWORD, header.password())
      .put(AuthApi.ROLE, role.get().wire())
      .put(AuthApi.CLIENT_ADDRESS, session.clientAddress());
    return services.auth().request(AuthApi.LOGIN, null, request, FIRST_TRY_MILLIS)
      .recover(error -> unanswered(error) ? services.auth().request(AuthApi.LOGIN, null, request) : Future.failedFuture(error))
      .compose(reply -> outcome(session, reply), LoginCommand::notTried);
  }

  /** No auth replica answered: the one asked may be gone, or no replica is registered right now. */
  private static boolean unanswered(Throwable error) {
    if (error instanceof ReplyException re
      && (re.failureType() == ReplyFailure.TIMEOUT || re.failureType() == ReplyFailure.NO_HANDLERS)) {
      LOG.log(Level.WARNING, "auth-service did not answer a login (" + re.failureType() + "); asking again");
      return true;
    }
    return false;
  }

  /** The refusals for load become their answers; any other failure stays one (answered ERROR). */
  static Future<Reply> notTried(Throwable error) {
    String busy = switch (Failure.of(error)) {
      case BUSY -> Replies.BUSY_HASHING;
      case RATE_LIMITED -> Replies.BUSY_RATE_LIMITED;
      case UNAVAILABLE -> Replies.BUSY_UNAVAILABLE;
      default -> null;
    };
    if (busy == null) {
      return Future.failedFuture(error);
    }
    String answer = Replies.join(Replies.BUSY, busy);
    GatewayMetrics.login(answer);
    return Future.succeededFuture(Reply.of(answer));
  }

  /** Auth's answer to a login, with a password or a ticket, as the wire answer; logs the session in on success. */
  Future<Reply> outcome(Session session, JsonObject reply) {
    String code = reply.getString(AuthApi.CODE, "");
    GatewayMetrics.login(code);
    return switch (code) {
      case Replies.LOGIN_OK -> loggedIn(session, reply);
      case Replies.LOGIN_NO_SUCH_ACCOUNT, Replies.LOGIN_BAD_CREDENTIALS, Replies.LOGIN_LOCKED ->
        Future.succeededFuture(failed(session, code));
      default -> Future.failedFuture(new IllegalStateException("auth answered login code '" + code + "'"));
    };
  }

  private Future<Reply> loggedIn(Session session, JsonObject reply) {
    String account = reply.getString(AuthApi.ACCOUNT);
    Role role = Role.parse(reply.getString(AuthApi.ROLE)).orElse(null);
    String token = reply.getString(AuthApi.TOKEN);
    if (account == null || role == null || token == null) {
      return Future.failedFuture(new IllegalStateException("auth answered an incomplete login"));
    }
    if (!session.login(account, role, token, System.nanoTime())) {
      LOG.log(Level.INFO, () -> "login of '" + account + "' refused: it has the most sessions a gateway allows");
      return Future.succeededFuture(Reply.of(Replies.join(Replies.BUSY, Replies.BUSY_SESSIONS)));
    }
    String home = session.home();
    return services.storage().request(StorageApi.LIST, token, new JsonObject().put(StorageApi.PATH, home))
      .map(listing -> listing.getJsonArray(StorageApi.ENTRIES, new JsonArray()).encode())
      .recover(error -> {
        // The login stands; a home that cannot be listed right now shows empty.
        LOG.log(Level.WARNING, "listing the home of '" + account + "' at login failed", error);
        return Future.succeededFuture(new JsonArray().encode());
      })
      .map(listing -> Reply.of(Replies.join(Replies.LOGIN_OK, home, listing)));
  }

  /** A refused login: counted on the connection, which closes after its last allowed one. */
  Reply failed(Session session, String code) {
    int failures = session.loginFailed();
    return failures >= maxFailures ? Reply.closing(code) : Reply.of(code);
  }
}
