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
 * {@code mkdir} (extension): answers {@code OK}, or {@code 没有访问权限!}, {@code 路径不存在!}
 * (parent missing), {@code ALREADY_EXISTS}, {@code BAD_NAME} (PROTOCOL.md s3).
 */
final class MkdirCommand implements CommandHandler {

  private final Services services;

  MkdirCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    if (header.data().isEmpty()) {
      return Answers.BAD_ARGUMENTS;
    }
    String path = session.resolve(header.data());
    return services.storage().request(StorageApi.MKDIR, session.token(), new JsonObject().put(StorageApi.PATH, path))
      .compose(done -> Answers.OK);
  }
}
