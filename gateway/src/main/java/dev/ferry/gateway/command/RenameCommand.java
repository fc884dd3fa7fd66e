package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Services;
import dev.ferry.gateway.Session;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code rename} (extension): {@code data} is {@code <from>*<to>}, exactly one {@code *} (names
 * cannot contain one). Answers {@code OK}, or {@code 没有访问权限!}, {@code 路径不存在!},
 * {@code ALREADY_EXISTS}, {@code BAD_NAME} (PROTOCOL.md s3).
 */
final class RenameCommand implements CommandHandler {

  private final Services services;

  RenameCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    Fields.Pair paths = Fields.exactlyTwo(header.data()).orElse(null);
    if (paths == null) {
      return Answers.BAD_ARGUMENTS;
    }
    JsonObject request = new JsonObject()
      .put(StorageApi.FROM, session.resolve(paths.first()))
      .put(StorageApi.TO, session.resolve(paths.second()));
    return services.storage().request(StorageApi.RENAME, session.token(), request).compose(done -> Answers.OK);
  }
}
