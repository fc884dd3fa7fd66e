package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Services;
import dev.ferry.gateway.Session;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.Failure;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code setkey} (extension; admin for any account, a user for themself): {@code data} is
 * {@code <account>*<authorized_keys lines>}, the SSH public keys the account logs in with at the
 * SFTP door, replacing its keys (nothing after the {@code *}: removes them). Answers {@code OK},
 * {@code 0} for no such account, {@code BAD_ARGUMENTS} for a line that is no public key.
 */
final class SetkeyCommand implements CommandHandler {

  private final Services services;

  SetkeyCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    int star = header.data().indexOf('*');
    if (star <= 0) {
      return Answers.BAD_ARGUMENTS;
    }
    JsonObject request = new JsonObject().put(AuthApi.ACCOUNT, header.data().substring(0, star))
      .put(AuthApi.KEYS, header.data().substring(star + 1));
    return services.auth().request(AuthApi.SET_KEYS, session.token(), request)
      .compose(done -> Answers.OK, error -> Failure.of(error) == Failure.BAD_REQUEST ? Answers.BAD_ARGUMENTS : Future.failedFuture(error));
  }
}
