package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Session;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import io.vertx.core.Future;

/** {@code logout}: answers {@code BYE}, then the server closes (PROTOCOL.md s3). */
final class LogoutCommand implements CommandHandler {

  @Override
  public Future<Reply> handle(Session session, Header header) {
    session.logout();
    return Future.succeededFuture(Reply.closing(Replies.BYE));
  }
}
