package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.GatewayOptions;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Services;
import dev.ferry.gateway.Session;
import dev.ferry.gateway.transfer.StorageHandle;
import dev.ferry.gateway.transfer.UploadTransfer;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * {@code upload}: {@code data} is {@code <dir>*<name>*<size>*<sha256 hex>[*overwrite]}, or the
 * seed's {@code <dir>*<name>*<size>} (PROTOCOL.md s5); {@code dir} is resolved against the
 * working directory. Answers {@code READY*<offset>} and an {@link UploadTransfer} takes the
 * session's {@code uploading} frames from then on; else {@code FILE_ALREADY_EXISTS} or
 * {@code NOT_READY*<reason>}. Fields that do not parse answer {@code BAD_ARGUMENTS}.
 */
final class UploadCommand implements CommandHandler {

  private static final String NOT_READY = Replies.NOT_READY + Replies.SEP;

  private final Services services;
  private final GatewayOptions options;

  UploadCommand(Services services, GatewayOptions options) {
    this.services = services;
    this.options = options;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    UploadFields fields = UploadFields.parse(header.data()).orElse(null);
    if (fields == null) {
      return Answers.BAD_ARGUMENTS;
    }
    if (!VirtualPath.isValidName(fields.name())) {
      return Answers.now(NOT_READY + Replies.BAD_NAME);
    }
    String dir = session.resolve(fields.dir());
    String token = session.token();
    return services.transfers().openWrite(token, dir, fields.name(), fields.size(), fields.sha256(), fields.overwrite())
      .compose(opened -> {
        StorageHandle handle = services.transfers().handle(opened, token);
        Long offset = opened.getLong(TransferApi.OFFSET);
        if (offset == null || offset < 0 || offset > fields.size()) {
          return handle.close().compose(v -> Future.failedFuture(new IllegalStateException("storage opened an upload at offset " + offset)));
        }
        return reserveQuota(session, fields, opened, handle)
          .map(reserved -> Reply.opening(Replies.join(Replies.READY, offset),
            new UploadTransfer(handle, services.transfers().budget(), fields.size(), offset, options.window())));
      });
  }

  /**
   * The seam for PROTOCOL.md s6: "An upload reserves <size> - <offset> (less the size of a file
   * it overwrites) before it answers READY", i.e. {@code size - offset - replacing} from the open
   * reply. When quota enforcement lands, a refusal closes {@code handle} and answers
   * {@code NOT_READY*QUOTA_EXCEEDED*<used>*<limit>}, and the transfer releases or commits the
   * reservation when it ends. Until then every upload may go ahead.
   */
  private Future<Void> reserveQuota(Session session, UploadFields fields, JsonObject opened, StorageHandle handle) {
    return Future.succeededFuture();
  }

  @Override
  public Map<Failure, String> failureAnswers() {
    return Map.of(
      Failure.ALREADY_EXISTS, Replies.FILE_ALREADY_EXISTS,
      Failure.NO_PERMISSION, NOT_READY + Replies.NO_PERMISSION_REASON,
      Failure.NOT_FOUND, NOT_READY + Replies.NO_SUCH_DIR,
      Failure.BAD_NAME, NOT_READY + Replies.BAD_NAME,
      Failure.IS_A_DIRECTORY, NOT_READY + Replies.IS_A_DIRECTORY,
      Failure.BUSY, NOT_READY + Replies.BUSY);
  }
}
