package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Services;
import dev.ferry.gateway.Session;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.OptionalLong;

/**
 * {@code useradd} (admin): {@code <account>*<password>*<role>*<quota bytes>}. The account is
 * before the first {@code *}, the quota after the last, the role between the last two, and the
 * password is the rest, so a password may contain {@code *}. Creates the account, then its home
 * {@code /home/<account>}, then (for a user) its limit. Answers {@code OK}, or {@code BAD_NAME},
 * {@code ALREADY_EXISTS}, {@code WEAK_PASSWORD} (PROTOCOL.md s7).
 */
final class UseraddCommand implements CommandHandler {

  private final Services services;

  UseraddCommand(Services services) {
    this.services = services;
  }

  /** The four fields of useradd. */
  record NewAccount(String account, String password, Role role, long quota) {
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    NewAccount add = parse(header.data());
    if (add == null) {
      return Answers.BAD_ARGUMENTS;
    }
    String token = session.token();
    JsonObject account = new JsonObject().put(AuthApi.ACCOUNT, add.account());
    return services.auth().request(AuthApi.ADD, token, account.copy()
        .put(AuthApi.PASSWORD, add.password())
        .put(AuthApi.ROLE, add.role().wire()))
      .compose(added -> services.storage().request(StorageApi.CREATE_HOME, token,
        new JsonObject().put(StorageApi.ACCOUNT, add.account())))
      // The admin has no limit (PROTOCOL.md s6), so an admin account gets none.
      .compose(home -> add.role() == Role.ADMIN ? Future.succeededFuture() : services.quota().request(QuotaApi.SET, token,
        new JsonObject().put(QuotaApi.ACCOUNT, add.account()).put(QuotaApi.LIMIT, add.quota())))
      .compose(done -> Answers.OK);
  }

  /** The fields, or null if {@code data} does not have them. */
  static NewAccount parse(String data) {
    int first = data.indexOf(Replies.SEP);
    int last = data.lastIndexOf(Replies.SEP);
    int beforeLast = last <= 0 ? -1 : data.lastIndexOf(Replies.SEP, last - 1);
    if (first < 0 || beforeLast <= first) {
      return null;
    }
    Role role = Role.parse(data.substring(beforeLast + 1, last)).orElse(null);
    OptionalLong quota = Fields.bytes(data.substring(last + 1));
    if (first == 0 || role == null || quota.isEmpty()) {
      return null;
    }
    return new NewAccount(data.substring(0, first), data.substring(first + 1, beforeLast), role, quota.getAsLong());
  }
}
