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
 * Extension {@code ticket_login}: the frame's {@code account} is the account, {@code data} a
 * ticket from {@code ticket}. Answers exactly what {@code login} answers, and is a login for
 * every limit: {@code 1*<home>*<listing>} as the ticket's role, {@code BUSY*SESSIONS},
 * {@code BUSY*RATE_LIMITED}; {@code 9} for a locked account; {@code 2} for a ticket that is not
 * valid (forged, expired, of another account, the account's password or role changed since, or
 * the account deleted). A refused ticket counts as a failed login of the connection, which
 * closes after {@code maxLoginFailuresPerConnection}; auth-service counts it against the
 * client's address but not toward the account's lockout (a ticket is no password guess).
 */
final class TicketLoginCommand implements CommandHandler {

  private final Services services;
  private final LoginCommand logins;

  /** @param logins the password login, whose answers and session handling this one shares */
  TicketLoginCommand(Services services, LoginCommand logins) {
    this.services = services;
    this.logins = logins;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    // As login: a ticket login on a logged-in session first logs it out.
    session.logout();
    JsonObject request = new JsonObject()
      .put(AuthApi.ACCOUNT, header.account())
      .put(AuthApi.TICKET_FIELD, header.data())
      .put(AuthApi.CLIENT_ADDRESS, session.clientAddress());
    return services.auth().request(AuthApi.TICKET_LOGIN, null, request)
      .compose(reply -> logins.outcome(session, reply), LoginCommand::notTried);
  }
}
