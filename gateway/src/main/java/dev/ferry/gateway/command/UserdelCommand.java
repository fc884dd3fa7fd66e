package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Services;
import dev.ferry.gateway.Session;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code userdel} (admin): {@code <account>} or {@code <account>*purge}. Deletes the account and
 * its limit; its files are kept unless {@code purge} is asked for. Answers {@code OK}, or
 * {@code 0} for no such account (PROTOCOL.md s7).
 */
final class UserdelCommand implements CommandHandler {

  private static final String PURGE = "purge";

  private final Services services;

  UserdelCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    String data = header.data();
    Fields.Pair withOption = Fields.splitFirst(data).orElse(null);
    String account = withOption == null ? data : withOption.first();
    boolean purge = withOption != null;
    if (account.isEmpty() || (purge && !withOption.second().equals(PURGE))) {
      return Answers.BAD_ARGUMENTS;
    }
    String token = session.token();
    return services.auth().request(AuthApi.DELETE, token, new JsonObject().put(AuthApi.ACCOUNT, account))
      .compose(deleted -> services.quota().request(QuotaApi.FORGET, token, new JsonObject().put(QuotaApi.ACCOUNT, account)))
      .compose(forgotten -> !purge ? Future.succeededFuture() : services.storage().request(StorageApi.PURGE_HOME, token,
        new JsonObject().put(StorageApi.ACCOUNT, account)))
      .compose(done -> Answers.OK);
  }
}
