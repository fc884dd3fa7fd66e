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
import dev.ferry.protocol.bus.QuotaRefusal;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;

import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code upload}: {@code data} is {@code <dir>*<name>*<size>*<sha256 hex>[*overwrite]}, or the
 * seed's {@code <dir>*<name>*<size>}, or {@code LATER} for the checksum (PROTOCOL.md s5);
 * {@code dir} is resolved against the working directory. Answers {@code READY*<offset>} and an
 * {@link UploadTransfer} takes the session's {@code uploading} frames from then on; else
 * {@code FILE_ALREADY_EXISTS} or {@code NOT_READY*<reason>}. Fields that do not parse answer
 * {@code BAD_ARGUMENTS}.
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
    Supplier<String> tokens = session.tokenSource();
    // Storage reserves the quota itself before it answers the open (TransferApi, "Quota"): PROTOCOL.md s6,
    // "upload reserves <size> - <offset> before it answers READY, an overwrite too".
    return services.transfers().openWrite(tokens.get(), dir, fields.name(), fields.size(), fields.sha256(), fields.overwrite())
      .compose(opened -> {
        StorageHandle handle = services.transfers().handle(opened, tokens);
        Long offset = opened.getLong(TransferApi.OFFSET);
        if (offset == null || offset < 0 || offset > fields.size()) {
          return handle.close().compose(v -> Future.failedFuture(new IllegalStateException("storage opened an upload at offset " + offset)));
        }
        UploadTransfer transfer = new UploadTransfer(handle, services.transfers().budget(), fields.size(), offset,
          options.window(), options.transferMemoryPerConnection(), fields.later());
        return Future.succeededFuture(Reply.opening(Replies.join(Replies.READY, offset), transfer));
      }, refused -> QuotaRefusal.of(refused)
        .map(quota -> Answers.now(NOT_READY + Replies.join(Replies.QUOTA_EXCEEDED, quota.used(), quota.limit())))
        .orElseGet(() -> Future.failedFuture(refused)));
  }

  @Override
  public Map<Failure, String> failureAnswers() {
    return Map.of(
      Failure.ALREADY_EXISTS, Replies.FILE_ALREADY_EXISTS,
      Failure.NO_PERMISSION, NOT_READY + Replies.NO_PERMISSION_REASON,
      Failure.NOT_FOUND, NOT_READY + Replies.NO_SUCH_DIR,
      Failure.BAD_NAME, NOT_READY + Replies.BAD_NAME,
      Failure.IS_A_DIRECTORY, NOT_READY + Replies.IS_A_DIRECTORY,
      Failure.BUSY, NOT_READY + Replies.BUSY,
      Failure.TOO_MANY_ENTRIES, NOT_READY + Replies.TOO_MANY_ENTRIES);
  }
}
