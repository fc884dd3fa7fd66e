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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * {@code view}: {@code data} is a path, {@code ""} the working directory. Answers the listing,
 * a JSON array as a string of {@code {name, type, size, mtime}}, directories first then by name;
 * a file lists itself. Else {@code 没有访问权限!} or {@code 路径不存在!} (PROTOCOL.md s3). A
 * directory of more than one page answers its first page: {@link ListCommand} has the rest.
 */
final class ViewCommand implements CommandHandler {

  private final Services services;

  ViewCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    String path = session.resolve(header.data());
    return services.storage().request(StorageApi.LIST, session.token(), new JsonObject().put(StorageApi.PATH, path))
      .map(listing -> Reply.of(listing.getJsonArray(StorageApi.ENTRIES, new JsonArray()).encode()));
  }

  /** A forbidden name cannot exist. */
  @Override
  public Map<Failure, String> failureAnswers() {
    return Map.of(Failure.BAD_NAME, Replies.NO_SUCH_PATH);
  }
}
