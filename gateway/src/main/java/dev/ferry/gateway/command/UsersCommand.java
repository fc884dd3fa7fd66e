package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Services;
import dev.ferry.gateway.Session;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.QuotaApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code users} (admin): answers a JSON array, as a string, of
 * {@code {"account","role","locked","quota","used"}} (PROTOCOL.md s7): the accounts from auth,
 * each with its limit and usage from quota.
 */
final class UsersCommand implements CommandHandler {

  private final Services services;

  UsersCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    String token = session.token();
    return services.auth().request(AuthApi.LIST, token, new JsonObject())
      .compose(list -> {
        List<Future<JsonObject>> rows = new ArrayList<>();
        for (Object entry : list.getJsonArray(AuthApi.ACCOUNTS, new JsonArray())) {
          rows.add(row(token, (JsonObject) entry));
        }
        return Future.all(rows).map(all -> {
          JsonArray users = new JsonArray();
          rows.forEach(row -> users.add(row.result()));
          return Reply.of(users.encode());
        });
      });
  }

  private Future<JsonObject> row(String token, JsonObject account) {
    String name = account.getString(AuthApi.ACCOUNT);
    return services.quota().request(QuotaApi.GET, token, new JsonObject().put(QuotaApi.ACCOUNT, name))
      // An account deleted while the list was being made shows no usage rather than failing the list.
      .recover(error -> Failure.of(error) == Failure.NO_SUCH_ACCOUNT
        ? Future.succeededFuture(new JsonObject())
        : Future.failedFuture(error))
      .map(quota -> new JsonObject()
        .put("account", name)
        .put("role", account.getString(AuthApi.ROLE))
        .put("locked", account.getBoolean(AuthApi.LOCKED, false))
        .put("quota", quota.getLong(QuotaApi.LIMIT, 0L))
        .put("used", quota.getLong(QuotaApi.USED, 0L)));
  }
}
