package dev.ferry.gateway.transfer;

import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.ChunkCodec;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * One open transfer handle on the storage node that holds it: the node actions of
 * {@link TransferApi}, parameters in headers, file bytes as raw bodies, the session token in
 * every request.
 */
public final class StorageHandle {

  private static final System.Logger LOG = System.getLogger(StorageHandle.class.getName());

  private final Vertx vertx;
  private final String node;
  private final String handle;
  /** The session's token as it is now: a transfer may outlive the token it started with. */
  private final Supplier<String> token;

  StorageHandle(Vertx vertx, String node, String handle, Supplier<String> token) {
    this.vertx = vertx;
    this.node = node;
    this.handle = handle;
    this.token = token;
  }

  /** min(length, size - offset) bytes from {@code offset}. */
  public Future<Buffer> read(long offset, long length) {
    return request(TransferApi.READ, null, TransferApi.OFFSET, offset, TransferApi.LENGTH, length);
  }

  /**
   * Stores bytes at {@code offset}, forced to disk before the answer with {@code sync}, within
   * the upload's quota {@code reserved} (empty: none applies); answers the total stored.
   */
  public Future<Long> write(long offset, Buffer bytes, boolean sync, OptionalLong reserved) {
    Future<JsonObject> written = reserved.isPresent()
      ? request(TransferApi.WRITE, bytes, TransferApi.OFFSET, offset, TransferApi.SYNC, sync, TransferApi.RESERVED, reserved.getAsLong())
      : request(TransferApi.WRITE, bytes, TransferApi.OFFSET, offset, TransferApi.SYNC, sync);
    return written.map(reply -> {
        Long stored = reply.getLong(TransferApi.STORED);
        if (stored == null) {
          throw new IllegalStateException("storage answered a write without the bytes stored");
        }
        return stored;
      });
  }

  /** Checks, makes durable and publishes the upload; answers its SHA-256. */
  public Future<String> finish() {
    return this.<JsonObject>request(TransferApi.FINISH, null).map(reply -> {
      String sha256 = reply.getString(TransferApi.SHA256);
      if (sha256 == null) {
        throw new IllegalStateException("storage answered a finish without the checksum");
      }
      return sha256;
    });
  }

  /** Ends the handle (an upload keeps its partial data). Never fails: a node that is gone closed it anyway. */
  public Future<Void> close() {
    return this.<JsonObject>request(TransferApi.CLOSE, null).<Void>mapEmpty().recover(error -> {
      LOG.log(Level.DEBUG, () -> "closing transfer handle on " + node + " failed: " + error);
      return Future.succeededFuture();
    });
  }

  private <T> Future<T> request(String action, Buffer body, Object... headers) {
    // An upload chunk is the frame decoder's own copy, not used after this: handed over as it is.
    DeliveryOptions options = (body == null ? new DeliveryOptions() : ChunkCodec.options()).setSendTimeout(BusClient.DEFAULT_TIMEOUT_MS)
      .addHeader(BusService.ACTION_HEADER, action)
      .addHeader(BusService.TOKEN_HEADER, token.get())
      .addHeader(TransferApi.HANDLE, handle);
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader((String) headers[i], String.valueOf(headers[i + 1]));
    }
    return vertx.eventBus().<T>request(node, body, options).map(Message::body);
  }
}
