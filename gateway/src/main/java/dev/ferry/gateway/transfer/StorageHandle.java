package dev.ferry.gateway.transfer;

import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.ChunkCodec;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * One open transfer handle on the storage node that holds it: the node actions of
 * {@link TransferApi}, parameters in headers, file bytes as raw bodies, the session token in
 * every request.
 */
public final class StorageHandle {

  private static final System.Logger LOG = System.getLogger(StorageHandle.class.getName());
  /**
   * How long a READ or WRITE waits for its node, far less than other requests: a node that dies
   * mid-transfer (a killed storage process in a cluster) never answers the requests already sent
   * to it, and the session should get its failure answer soon, not after the default 30 s. A
   * chunk takes milliseconds; even the last of a window of writes queued behind each other on a
   * busy disk stays well inside this.
   */
  static final long IO_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final String node;
  private final String handle;
  /** The session's token as it is now: a transfer may outlive the token it started with. */
  private final Supplier<String> token;
  private final long ioTimeoutMs;

  StorageHandle(Vertx vertx, String node, String handle, Supplier<String> token) {
    this(vertx, node, handle, token, IO_TIMEOUT_MS);
  }

  /** For tests: a shorter wait for READ and WRITE. */
  StorageHandle(Vertx vertx, String node, String handle, Supplier<String> token, long ioTimeoutMs) {
    this.vertx = vertx;
    this.node = node;
    this.handle = handle;
    this.token = token;
    this.ioTimeoutMs = ioTimeoutMs;
  }

  /** min(length, size - offset) bytes from {@code offset}. */
  public Future<Buffer> read(long offset, long length) {
    return request(TransferApi.READ, ioTimeoutMs, null, TransferApi.OFFSET, offset, TransferApi.LENGTH, length);
  }

  /**
   * Stores bytes at {@code offset}, forced to disk before the answer with {@code sync}; answers
   * the total stored. Storage holds the upload to its quota (TransferApi, "Quota").
   */
  public Future<Long> write(long offset, Buffer bytes, boolean sync) {
    Future<JsonObject> written = request(TransferApi.WRITE, ioTimeoutMs, bytes, TransferApi.OFFSET, offset, TransferApi.SYNC, sync);
    return written.map(reply -> {
        Long stored = reply.getLong(TransferApi.STORED);
        if (stored == null) {
          throw new IllegalStateException("storage answered a write without the bytes stored");
        }
        return stored;
      });
  }

  /**
   * Whether the node answered a request, successfully or not, rather than its answer being lost
   * (a timeout, no node): only then is the node done with the bytes it was sent (TransferApi WRITE).
   */
  public static boolean answered(AsyncResult<?> request) {
    return request.succeeded() || request.cause() instanceof ReplyException reply
      && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE;
  }

  /**
   * Checks, makes durable and publishes the upload; answers its SHA-256. {@code given} is what
   * the client gave after its chunks ("" when it gave one at the open, or none at all).
   */
  public Future<String> finish(String given) {
    Object[] headers = given.isEmpty() ? new Object[0] : new Object[] {TransferApi.SHA256, given};
    return this.<JsonObject>request(TransferApi.FINISH, BusClient.DEFAULT_TIMEOUT_MS, null, headers).map(reply -> {
      String sha256 = reply.getString(TransferApi.SHA256);
      if (sha256 == null) {
        throw new IllegalStateException("storage answered a finish without the checksum");
      }
      return sha256;
    });
  }

  /** Ends the handle (an upload keeps its partial data). Never fails: a node that is gone closed it anyway. */
  public Future<Void> close() {
    return this.<JsonObject>request(TransferApi.CLOSE, BusClient.DEFAULT_TIMEOUT_MS, null).<Void>mapEmpty().recover(error -> {
      LOG.log(Level.DEBUG, () -> "closing transfer handle on " + node + " failed: " + error);
      return Future.succeededFuture();
    });
  }

  private <T> Future<T> request(String action, long timeoutMs, Buffer body, Object... headers) {
    // An upload chunk is the frame decoder's own copy, not used after this: handed over as it is.
    DeliveryOptions options = (body == null ? new DeliveryOptions() : ChunkCodec.options()).setSendTimeout(timeoutMs)
      .addHeader(BusService.ACTION_HEADER, action)
      .addHeader(BusService.TOKEN_HEADER, token.get())
      .addHeader(TransferApi.HANDLE, handle);
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader((String) headers[i], String.valueOf(headers[i + 1]));
    }
    return vertx.eventBus().<T>request(node, body, options).map(Message::body);
  }
}
