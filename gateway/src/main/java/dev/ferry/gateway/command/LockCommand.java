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
 * {@code lock} and {@code unlock} (admin): {@code data} is the account. A locked account answers
 * {@code 9} at login; unlock also clears a lockout after failed logins. Answers {@code OK}, or
 * {@code 0} for no such account (PROTOCOL.md s3 and s7).
 */
final class LockCommand implements CommandHandler {

  private final Services services;
  private final String action;

  /** @param action {@link AuthApi#LOCK} or {@link AuthApi#UNLOCK} */
  LockCommand(Services services, String action) {
    this.services = services;
    this.action = action;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    String account = header.data();
    if (account.isEmpty()) {
      return Answers.BAD_ARGUMENTS;
    }
    return services.auth().request(action, session.token(), new JsonObject().put(AuthApi.ACCOUNT, account))
      .compose(done -> Answers.OK);
  }
}
