package dev.ferry.gateway;

import dev.ferry.protocol.Command;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Routes a frame to its {@link CommandHandler}. This is the only place that checks session
 * state (PROTOCOL.md s3 and s7): unknown commands, not logged in, a frame for another account,
 * admin-only commands. It also keeps the session token fresh and turns failed service requests
 * into the command's wire answer.
 */
public final class CommandDispatcher {

  private static final System.Logger LOG = System.getLogger(CommandDispatcher.class.getName());

  /** PROTOCOL.md s7: only for an admin session; passwd is also open to users (their own). */
  private static final Set<Command> ADMIN_ONLY = EnumSet.of(
    Command.USERADD, Command.USERDEL, Command.LOCK, Command.UNLOCK, Command.SETQUOTA, Command.USERS, Command.RECOUNT);
  /** Commands that send nothing with the session's token, so there is nothing to renew. */
  private static final Set<Command> NO_RENEWAL = EnumSet.of(Command.LOGIN, Command.TICKET_LOGIN, Command.LOGOUT);
  /** The commands a session that is not logged in may send. */
  private static final Set<Command> BEFORE_LOGIN = EnumSet.of(Command.LOGIN, Command.TICKET_LOGIN);

  private final Map<Command, CommandHandler> handlers;
  private final Services services;
  private final long renewAfterNanos;

  /**
   * @param handlers the one registry of commands; a command without a handler answers
   *                 {@code UNKNOWN_COMMAND}
   * @param tokenTtlSeconds lifetime of a session token; it is renewed once half of it is gone
   */
  public CommandDispatcher(Map<Command, CommandHandler> handlers, Services services, int tokenTtlSeconds) {
    this.handlers = new EnumMap<>(handlers);
    this.services = services;
    this.renewAfterNanos = TimeUnit.SECONDS.toNanos(tokenTtlSeconds) / 2;
  }

  /**
   * Whether {@code header} is a frame of the running {@code transfer}: its command, and the
   * session's account (PROTOCOL.md s3: "account in each frame must be the logged-in account or
   * """). Such a frame is the transfer's, not a command: it gets no reply of its own.
   */
  public boolean feedsTransfer(Session session, Transfer transfer, Header header) {
    return Command.of(header.cmd()) == transfer.frames()
      && (header.account().isEmpty() || header.account().equals(session.account()));
  }

  /**
   * Never fails: every outcome is a reply ({@link Reply#NONE} included). A transfer still running
   * is ended first: any other command ends it, its storage handle closed and an upload's partial
   * data kept.
   */
  public Future<Reply> dispatch(Session session, Header header) {
    Transfer running = session.transfer();
    if (running != null) {
      return running.end().compose(v -> route(session, header));
    }
    return route(session, header);
  }

  private Future<Reply> route(Session session, Header header) {
    Command command = Command.of(header.cmd());
    CommandHandler handler = handlers.get(command);
    if (handler == null) {
      // PROTOCOL.md s1: "An unknown cmd gets UNKNOWN_COMMAND; the connection stays usable."
      return answer(Replies.UNKNOWN_COMMAND);
    }
    if (!BEFORE_LOGIN.contains(command)) {
      if (!session.isLoggedIn()) {
        return answer(Replies.NOT_LOGGED_IN);
      }
      // PROTOCOL.md s3: "account in each frame must be the logged-in account or """.
      if (!header.account().isEmpty() && !header.account().equals(session.account())) {
        return answer(Replies.NOT_LOGGED_IN);
      }
      if (ADMIN_ONLY.contains(command) && !session.isAdmin()) {
        return answer(Replies.NO_PERMISSION);
      }
    }
    Future<Boolean> stillLoggedIn = NO_RENEWAL.contains(command) ? Future.succeededFuture(true) : keepTokenFresh(session);
    return stillLoggedIn.compose(ok -> ok ? invoke(handler, session, header) : answer(Replies.NOT_LOGGED_IN));
  }

  private Future<Reply> invoke(CommandHandler handler, Session session, Header header) {
    Future<Reply> result;
    try {
      result = handler.handle(session, header);
    } catch (RuntimeException e) {
      // A guard that threw (a forbidden path name) is answered like a failed request.
      result = Future.failedFuture(e);
    }
    return result.recover(error -> Future.succeededFuture(Reply.of(failureAnswer(handler, session, header, error))));
  }

  private String failureAnswer(CommandHandler handler, Session session, Header header, Throwable error) {
    Failure failure = FailureAnswers.classify(error);
    if (failure == Failure.UNAUTHENTICATED) {
      // The token was refused (expired, or the account is gone): the login is over.
      session.logout();
    }
    String answer = FailureAnswers.answer(failure, handler.failureAnswers());
    if (answer.equals(FailureAnswers.ERROR)) {
      // Only cmd and account: the data of useradd or passwd carries a password.
      LOG.log(Level.WARNING, "command " + header.cmd() + " of account '" + session.account() + "' failed", error);
    } else {
      LOG.log(Level.DEBUG, () -> "command " + header.cmd() + " answered " + failure);
    }
    return answer;
  }

  /**
   * Renews the token once half its lifetime is gone, so a busy session never meets an expired
   * one. A refusal (account deleted or locked) ends the login; an unreachable auth service does
   * not, as the current token is still valid for a while. Answers whether the session is still
   * logged in.
   */
  Future<Boolean> keepTokenFresh(Session session) {
    long now = System.nanoTime();
    if (session.tokenAgeNanos(now) < renewAfterNanos) {
      return Future.succeededFuture(true);
    }
    return services.auth().request(AuthApi.RENEW, session.token(), new JsonObject())
      .map(reply -> {
        String token = reply.getString(AuthApi.TOKEN);
        if (token == null || token.isEmpty()) {
          throw new IllegalStateException("auth renewed without a token");
        }
        session.renewed(token, now);
        return true;
      })
      .recover(error -> {
        Failure failure = Failure.of(error);
        if (failure == Failure.NO_SUCH_ACCOUNT || failure == Failure.LOCKED || failure == Failure.UNAUTHENTICATED) {
          LOG.log(Level.INFO, "session of '" + session.account() + "' ended: token renewal refused, " + failure);
          session.logout();
          return Future.succeededFuture(false);
        }
        LOG.log(Level.WARNING, "token renewal failed, keeping the current token", error);
        return Future.succeededFuture(true);
      });
  }

  private static Future<Reply> answer(String data) {
    return Future.succeededFuture(Reply.of(data));
  }
}
