package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Services;
import dev.ferry.gateway.Session;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Extension {@code ticket}, {@code data} {@code ""}: answers a session ticket that lets the same
 * account with the same role log in on other connections with {@code ticket_login} for a short
 * while (setting {@code sessionTicketSeconds}). auth-service makes it; the gateway only passes it
 * on. Answers {@code 0} or {@code 9} when the account was deleted or locked since the login,
 * {@code 没有访问权限!} when it no longer has the session's role.
 */
final class TicketCommand implements CommandHandler {

  private final Services services;

  TicketCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    return services.auth().request(AuthApi.TICKET, session.token(), new JsonObject())
      .map(reply -> {
        String ticket = reply.getString(AuthApi.TICKET_FIELD);
        if (ticket == null || ticket.isEmpty()) {
          throw new IllegalStateException("auth answered a ticket request without a ticket");
        }
        return Reply.of(ticket);
      });
  }

  @Override
  public Map<Failure, String> failureAnswers() {
    return Map.of(Failure.NO_PERMISSION, Replies.NO_PERMISSION);
  }
}
