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
 * {@code quota} (extension): {@code data} is {@code ""} for one's own, or an account (the admin,
 * or the account itself). Answers {@code <used bytes>*<limit bytes>}, limit {@code 0} meaning
 * unlimited; else {@code 没有访问权限!} or {@code 0} for no such account (PROTOCOL.md s3).
 */
final class QuotaCommand implements CommandHandler {

  private final Services services;

  QuotaCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    String account = header.data().isEmpty() ? session.account() : header.data();
    if (!session.isAdmin() && !account.equals(session.account())) {
      return Answers.NO_PERMISSION;
    }
    return services.quota().request(QuotaApi.GET, session.token(), new JsonObject().put(QuotaApi.ACCOUNT, account))
      .map(quota -> Reply.of(Replies.join(quota.getLong(QuotaApi.USED, 0L), quota.getLong(QuotaApi.LIMIT, 0L))));
  }
}
