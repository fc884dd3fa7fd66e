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
 * {@code list} (extension): one page of a listing. {@code data} is a path ({@code ""} the
 * working directory) for the first page, {@code <path>*<cursor>} for the next. Answers
 * {@code MORE*<cursor>*<listing>} while pages follow, {@code LAST*<listing>} for the last; else
 * {@code 没有访问权限!}, {@code 路径不存在!}, or {@code BAD_ARGUMENTS} for a cursor no page
 * answered (PROTOCOL.md s3). Names never hold {@code *}, so the path ends at the first one.
 */
final class ListCommand implements CommandHandler {

  private final Services services;

  ListCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    String data = header.data();
    int separator = data.indexOf(Replies.SEP);
    JsonObject request = new JsonObject()
      .put(StorageApi.PATH, session.resolve(separator < 0 ? data : data.substring(0, separator)));
    if (separator >= 0) {
      request.put(StorageApi.AFTER, data.substring(separator + 1));
    }
    return services.storage().request(StorageApi.LIST, session.token(), request).map(page -> {
      String listing = page.getJsonArray(StorageApi.ENTRIES, new JsonArray()).encode();
      String next = page.getString(StorageApi.NEXT);
      return Reply.of(next == null ? Replies.join(Replies.LIST_LAST, listing) : Replies.join(Replies.LIST_MORE, next, listing));
    });
  }

  /** A forbidden name cannot exist; a bad cursor is a bad argument. */
  @Override
  public Map<Failure, String> failureAnswers() {
    return Map.of(Failure.BAD_NAME, Replies.NO_SUCH_PATH, Failure.BAD_REQUEST, Replies.BAD_ARGUMENTS);
  }
}
