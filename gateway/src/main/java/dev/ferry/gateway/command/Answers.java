package dev.ferry.gateway.command;

import dev.ferry.gateway.Reply;
import dev.ferry.protocol.Replies;
import io.vertx.core.Future;

/** Replies handlers answer at once, from their guard clauses. */
final class Answers {

  static final Future<Reply> OK = now(Replies.OK);
  static final Future<Reply> BAD_ARGUMENTS = now(Replies.BAD_ARGUMENTS);
  static final Future<Reply> NO_PERMISSION = now(Replies.NO_PERMISSION);

  private Answers() {
  }

  static Future<Reply> now(String data) {
    return Future.succeededFuture(Reply.of(data));
  }
}
