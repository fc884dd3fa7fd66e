package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Session;
import dev.ferry.protocol.Header;
import io.vertx.core.Future;

/**
 * {@code download_RES} and {@code uploading} when no transfer of theirs is running: frames that
 * were in flight behind the end of a transfer. They are dropped without a reply (see
 * {@link dev.ferry.gateway.Transfer}); while a transfer runs, its frames never get here.
 */
final class TransferFrameCommand implements CommandHandler {

  private static final System.Logger LOG = System.getLogger(TransferFrameCommand.class.getName());

  @Override
  public Future<Reply> handle(Session session, Header header) {
    LOG.log(System.Logger.Level.DEBUG, () -> "dropped " + header.cmd() + " " + header.data() + ": no transfer running");
    return Future.succeededFuture(Reply.NONE);
  }
}
