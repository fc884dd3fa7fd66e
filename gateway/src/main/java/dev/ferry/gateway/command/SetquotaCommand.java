package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Services;
import dev.ferry.gateway.Session;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.bus.QuotaApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.OptionalLong;

/**
 * {@code setquota} (admin): {@code <account>*<bytes>}, {@code 0} meaning unlimited. Answers
 * {@code OK}, or {@code 0} for no such account (PROTOCOL.md s7).
 */
final class SetquotaCommand implements CommandHandler {

  private final Services services;

  SetquotaCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    Fields.Pair fields = Fields.exactlyTwo(header.data()).orElse(null);
    OptionalLong limit = fields == null ? OptionalLong.empty() : Fields.bytes(fields.second());
    if (limit.isEmpty()) {
      return Answers.BAD_ARGUMENTS;
    }
    JsonObject request = new JsonObject().put(QuotaApi.ACCOUNT, fields.first()).put(QuotaApi.LIMIT, limit.getAsLong());
    return services.quota().request(QuotaApi.SET, session.token(), request).compose(done -> Answers.OK);
  }
}
