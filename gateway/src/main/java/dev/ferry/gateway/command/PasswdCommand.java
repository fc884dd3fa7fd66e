package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Services;
import dev.ferry.gateway.Session;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.bus.AuthApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code passwd}: an admin sets anyone's password with {@code <account>*<new password>}; a user
 * changes their own with {@code <old>*<new>}. Split at the first {@code *}, so a new password
 * may contain one. Answers {@code OK}, or {@code WEAK_PASSWORD}, {@code 2} (wrong old password),
 * {@code 0} (no such account) (PROTOCOL.md s7).
 */
final class PasswdCommand implements CommandHandler {

  private final Services services;

  PasswdCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    Fields.Pair fields = Fields.splitFirst(header.data()).orElse(null);
    if (fields == null || fields.first().isEmpty()) {
      return Answers.BAD_ARGUMENTS;
    }
    JsonObject request = new JsonObject().put(AuthApi.PASSWORD, fields.second());
    if (session.isAdmin()) {
      request.put(AuthApi.ACCOUNT, fields.first());
    } else {
      request.put(AuthApi.ACCOUNT, session.account()).put(AuthApi.OLD_PASSWORD, fields.first());
    }
    // A change of one's own password revokes one's tokens; this session goes on with the fresh
    // token auth-service answers with, every other session of the account ends.
    boolean own = request.getString(AuthApi.ACCOUNT).equals(session.account());
    String account = session.account();
    session.awaitFreshToken(own);
    return services.auth().request(AuthApi.PASSWD, session.token(), request)
      .andThen(done -> session.awaitFreshToken(false))
      .compose(done -> {
        String fresh = done.getString(AuthApi.TOKEN);
        if (own && fresh != null && account.equals(session.account())) {
          session.renewed(fresh, System.nanoTime());
        }
        return Answers.OK;
      });
  }
}
