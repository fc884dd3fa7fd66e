package dev.ferry.storage;

import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.ChunkCodec;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** The node actions of TransferApi as the gateway sends them: headers for parameters, bytes for bodies. */
final class TransferRequests {

  private final Vertx vertx;
  private final String node;
  private final String handle;

  TransferRequests(Vertx vertx, JsonObject opened) {
    this.vertx = vertx;
    this.node = opened.getString(TransferApi.NODE);
    this.handle = opened.getString(TransferApi.HANDLE);
  }

  Future<Buffer> read(String token, long offset, long length) {
    return request(TransferApi.READ, token, null, TransferApi.OFFSET, offset, TransferApi.LENGTH, length);
  }

  Future<Long> write(String token, long offset, Buffer bytes, boolean sync) {
    return this.<JsonObject>request(TransferApi.WRITE, token, bytes, TransferApi.OFFSET, offset, TransferApi.SYNC, sync)
      .map(reply -> reply.getLong(TransferApi.STORED));
  }

  Future<String> finish(String token) {
    return this.<JsonObject>request(TransferApi.FINISH, token, null).map(reply -> reply.getString(TransferApi.SHA256));
  }

  /** A finish that gives the checksum, as the gateway does for a client that sends it after its chunks. */
  Future<String> finish(String token, String sha256) {
    return this.<JsonObject>request(TransferApi.FINISH, token, null, TransferApi.SHA256, sha256)
      .map(reply -> reply.getString(TransferApi.SHA256));
  }

  Future<JsonObject> close(String token) {
    return request(TransferApi.CLOSE, token, null);
  }

  private <T> Future<T> request(String action, String token, Buffer body, Object... headers) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(10_000)
      .addHeader(BusService.ACTION_HEADER, action).addHeader(TransferApi.HANDLE, handle);
    if (token != null) {
      options.addHeader(BusService.TOKEN_HEADER, token);
    }
    if (body != null) {
      options.setCodecName(ChunkCodec.NAME); // handed over as the gateway hands its chunks over
    }
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader((String) headers[i], String.valueOf(headers[i + 1]));
    }
    return vertx.eventBus().<T>request(node, body, options).map(Message::body);
  }
}
