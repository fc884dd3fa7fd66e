package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Services;
import dev.ferry.gateway.Session;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.bus.QuotaApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code recount} (admin extension, issue 4): {@code data} is an account. Usage is counted again
 * from the disk and kept; answers {@code <used bytes>*<limit bytes>} as {@code quota} does, or
 * {@code 0} for no such account.
 */
final class RecountCommand implements CommandHandler {

  private final Services services;

  RecountCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    if (header.data().isEmpty()) {
      return Answers.BAD_ARGUMENTS;
    }
    return services.quota().request(QuotaApi.RECOUNT, session.token(), new JsonObject().put(QuotaApi.ACCOUNT, header.data()))
      .map(quota -> Reply.of(Replies.join(quota.getLong(QuotaApi.USED, 0L), quota.getLong(QuotaApi.LIMIT, 0L))));
  }
}
