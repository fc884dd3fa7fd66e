package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.GatewayOptions;
import dev.ferry.gateway.Reply;
import dev.ferry.gateway.Services;
import dev.ferry.gateway.Session;
import dev.ferry.gateway.transfer.DownloadTransfer;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;

import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code download}: {@code data} is the path of a file. Answers {@code <size>*<sha256 hex>} of
 * the file as it is now, and a {@link DownloadTransfer} takes the session's
 * {@code download_RES} frames from then on; else {@code file_not_exists} (a missing path or a
 * directory) or {@code 没有访问权限!} (PROTOCOL.md s4).
 */
final class DownloadCommand implements CommandHandler {

  private final Services services;
  private final GatewayOptions options;

  DownloadCommand(Services services, GatewayOptions options) {
    this.services = services;
    this.options = options;
  }

  @Override
  public Future<Reply> handle(Session session, Header header) {
    String path = session.resolve(header.data());
    Supplier<String> tokens = session.tokenSource();
    return services.transfers().openRead(tokens.get(), path).map(opened -> {
      Long size = opened.getLong(TransferApi.SIZE);
      String sha256 = opened.getString(TransferApi.SHA256);
      if (size == null || sha256 == null) {
        throw new IllegalStateException("storage opened a download without size or sha256");
      }
      DownloadTransfer transfer = new DownloadTransfer(services.transfers().handle(opened, tokens), services.transfers().budget(), size,
        // Sending at most the connection's share of the transfer memory unacknowledged keeps it
        // within that share; the protocol allows less than a window.
        options.maxPayload(), options.transferMemoryPerConnection());
      return Reply.opening(Replies.join(size, sha256), transfer);
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
