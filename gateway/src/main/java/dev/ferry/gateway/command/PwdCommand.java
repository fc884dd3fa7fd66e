package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Session;
import dev.ferry.protocol.Header;
import io.vertx.core.Future;

/** {@code pwd} (extension): answers the working directory. */
final class PwdCommand implements CommandHandler {

  @Override
  public Future<Reply> handle(Session session, Header header) {
    return Answers.now(session.cwd());
  }
}
