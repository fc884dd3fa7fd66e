package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Services;
import dev.ferry.gateway.Session;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * {@code rm} (extension): removes a file or an empty directory. Answers {@code OK}, or
 * {@code 没有访问权限!}, {@code 路径不存在!}, {@code NOT_EMPTY} (PROTOCOL.md s3).
 */
final class RmCommand implements CommandHandler {

  private final Services services;

  RmCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    if (header.data().isEmpty()) {
      return Answers.BAD_ARGUMENTS;
    }
    String path = session.resolve(header.data());
    return services.storage().request(StorageApi.RM, session.token(), new JsonObject().put(StorageApi.PATH, path))
      .compose(done -> Answers.OK);
  }

  /** A forbidden name cannot exist. */
  @Override
  public Map<Failure, String> failureAnswers() {
    return Map.of(Failure.BAD_NAME, Replies.NO_SUCH_PATH);
  }
}
