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
 * {@code cd} (extension): changes the working directory. Answers {@code OK*<new working dir>},
 * or {@code 没有访问权限!}, {@code 路径不存在!}, {@code NOT_A_DIRECTORY} (PROTOCOL.md s3).
 */
final class CdCommand implements CommandHandler {

  private final Services services;

  CdCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    String path = session.resolve(header.data());
    return services.storage().request(StorageApi.STAT, session.token(), new JsonObject().put(StorageApi.PATH, path))
      .map(stat -> {
        if (!StorageApi.TYPE_DIR.equals(stat.getString(StorageApi.TYPE))) {
          return Reply.of(Replies.NOT_A_DIRECTORY);
        }
        session.cd(path);
        return Reply.of(Replies.join(Replies.OK, path));
      });
  }

  /** A forbidden name cannot exist. */
  @Override
  public Map<Failure, String> failureAnswers() {
    return Map.of(Failure.BAD_NAME, Replies.NO_SUCH_PATH);
  }
}
