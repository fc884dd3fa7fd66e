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
 * {@code checksum} (extension): {@code data} is the path of a file. Answers
 * {@code <size>*<sha256 hex>}, or {@code 没有访问权限!}, {@code file_not_exists} (PROTOCOL.md s3:
 * like download, a missing path or a directory).
 */
final class ChecksumCommand implements CommandHandler {

  private final Services services;

  ChecksumCommand(Services services) {
    this.services = services;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    String path = session.resolve(header.data());
    return services.storage().request(StorageApi.CHECKSUM, session.token(), new JsonObject().put(StorageApi.PATH, path))
      .map(sum -> {
        Long size = sum.getLong(StorageApi.SIZE);
        String sha256 = sum.getString(StorageApi.SHA256);
        if (size == null || sha256 == null) {
          throw new IllegalStateException("storage answered checksum without size or sha256");
        }
        return Reply.of(Replies.join(size, sha256));
      });
  }

  @Override
  public Map<Failure, String> failureAnswers() {
    return Map.of(
      Failure.NOT_FOUND, Replies.FILE_NOT_EXISTS,
      Failure.IS_A_DIRECTORY, Replies.FILE_NOT_EXISTS,
      Failure.BAD_NAME, Replies.FILE_NOT_EXISTS);
  }
}
