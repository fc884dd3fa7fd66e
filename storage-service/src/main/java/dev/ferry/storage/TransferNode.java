package dev.ferry.storage;

import dev.ferry.protocol.Frame;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.ChunkCodec;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One storage node's own address ({@link Addresses#STORAGE_NODE_PREFIX} + a random node id),
 * where the transfer handles it holds are served: READ, WRITE, FINISH and CLOSE of
 * {@link TransferApi}, raw messages whose parameters are headers and whose bodies are bytes.
 *
 * <p>Each request's token is checked and the handle must belong to its account; the last token
 * verified for a handle is remembered, so the chunks of a transfer do not verify the same token
 * again and again.
 *
 * <p>Every way a handle ends (CLOSE, FINISH, the idle timeout, the node stopping) goes through
 * {@link TransferHandle#close} or an upload's finish, which report the change in usage to
 * quota-service before they complete.
 */
final class TransferNode {

  private static final System.Logger LOG = System.getLogger(TransferNode.class.getName());

  /** A handle just added to the table, and its id. */
  record Opened(String id, TransferHandle handle) {
  }

  private final Vertx vertx;
  private final SessionTokens tokens;
  private final String address = Addresses.STORAGE_NODE_PREFIX + UUID.randomUUID();
  private final AccountHandleLeases leases;
  private final HandleTable table;
  private final long idleNanos;

  TransferNode(Vertx vertx, SessionTokens tokens, StorageOptions options) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.leases = new AccountHandleLeases(vertx, address, options.maxHandlesPerAccount(), options.handleLeaseSeconds());
    this.table = new HandleTable(options.maxHandlesPerNode(), leases);
    this.idleNanos = TimeUnit.SECONDS.toNanos(options.handleIdleSeconds());
  }

  String address() {
    return address;
  }

  HandleTable table() {
    return table;
  }

  AccountHandleLeases leases() {
    return leases;
  }

  /**
   * Renews the account leases of every open handle, so that they outlive the lease time. A
   * handle that ended while its renewal was on the way has its lease dropped again after it, or
   * the renewal would bring the lease back.
   */
  void renewLeases() {
    for (AccountHandleLeases.Lease lease : table.leases()) {
      leases.renew(lease)
        .onSuccess(v -> {
          if (!table.holds(lease)) {
            leases.release(lease);
          }
        })
        .onFailure(e -> LOG.log(Level.WARNING, "cannot renew a handle lease of " + lease.account() + ": " + e));
    }
  }

  Future<MessageConsumer<Buffer>> register() {
    ChunkCodec.register(vertx);
    MessageConsumer<Buffer> consumer = vertx.eventBus().consumer(address, this::dispatch);
    return consumer.completion().map(consumer);
  }

  /** Puts a handle whose slot was reserved, holding {@code lease}, into the table. */
  Future<Opened> add(TransferHandle handle, AccountHandleLeases.Lease lease) {
    String id = table.add(handle, lease);
    if (id == null) {
      return handle.close(vertx).compose(v -> Future.failedFuture(Failure.NO_SUCH_HANDLE.exception("the node stopped")));
    }
    return Future.succeededFuture(new Opened(id, handle));
  }

  /** Closes the handles nobody has used for the handle timeout (an upload's partial is kept). */
  void closeIdle() {
    List<TransferHandle> idle = table.removeIdle(System.nanoTime(), idleNanos);
    if (!idle.isEmpty()) {
      LOG.log(Level.INFO, "closing " + idle.size() + " idle transfer handle(s)");
      idle.forEach(handle -> handle.close(vertx));
    }
  }

  /** Closes every handle: the node stops. */
  Future<Void> closeAll() {
    return Future.all(table.removeAll().stream().map(handle -> handle.close(vertx)).toList()).mapEmpty();
  }

  private void dispatch(Message<Buffer> message) {
    MultiMap headers = message.headers();
    String action = headers.get(BusService.ACTION_HEADER);
    String id = headers.get(TransferApi.HANDLE);
    TransferHandle handle = table.get(id);
    if (handle == null) {
      if (TransferApi.CLOSE.equals(action)) {
        message.reply(new JsonObject()); // "Closing an unknown handle succeeds."
      } else {
        fail(message, action, Failure.NO_SUCH_HANDLE.exception());
      }
      return;
    }
    Future<?> result;
    try {
      result = authorize(handle, headers.get(BusService.TOKEN_HEADER))
        .compose(v -> table.get(id) == handle ? perform(action, id, handle, message)
          : Future.failedFuture(Failure.NO_SUCH_HANDLE.exception()));
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded() && ar.result() instanceof Buffer chunk) {
        // A read's bytes: filled for this answer only, handed over without a copy.
        message.reply(chunk, ChunkCodec.options());
      } else if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        fail(message, action, ar.cause());
      }
    });
  }

  private Future<Void> authorize(TransferHandle handle, String token) {
    if (handle.isVerified(token)) {
      return Future.succeededFuture();
    }
    return tokens.verify(token).compose(principal -> {
      if (!principal.account().equals(handle.owner().account())) {
        return Future.failedFuture(Failure.NO_PERMISSION.exception("not the handle's owner"));
      }
      handle.verified(token);
      return Future.succeededFuture();
    });
  }

  private Future<?> perform(String action, String id, TransferHandle handle, Message<Buffer> message) {
    MultiMap headers = message.headers();
    if (TransferApi.CLOSE.equals(action)) {
      table.remove(id);
      return handle.close(vertx).map(v -> new JsonObject());
    }
    if (TransferApi.READ.equals(action) && handle instanceof ReadHandle download) {
      long offset = number(headers, TransferApi.OFFSET);
      long length = number(headers, TransferApi.LENGTH);
      if (length > Frame.MAX_PAYLOAD_CEILING) {
        throw Failure.BAD_REQUEST.exception("length above " + Frame.MAX_PAYLOAD_CEILING);
      }
      return tracked(handle, vertx.executeBlocking(() -> download.read(offset, (int) length), false));
    }
    if (TransferApi.WRITE.equals(action) && handle instanceof UploadHandle upload) {
      long offset = number(headers, TransferApi.OFFSET);
      boolean sync = "true".equals(headers.get(TransferApi.SYNC));
      Buffer bytes = message.body();
      if (bytes == null) {
        throw Failure.BAD_REQUEST.exception("a write without bytes");
      }
      return tracked(handle, upload.write(vertx, offset, bytes, sync, headers.get(BusService.TOKEN_HEADER))
        .recover(error -> {
          if (Failure.of(error) != Failure.QUOTA_EXCEEDED) {
            return Future.failedFuture(error);
          }
          // TransferApi, "Quota": a write the quota cannot cover ends the upload, dropping its partial.
          table.remove(id);
          return upload.discard(vertx).compose(v -> Future.failedFuture(error));
        })
        .map(stored -> new JsonObject().put(TransferApi.STORED, stored)));
    }
    if (TransferApi.FINISH.equals(action) && handle instanceof UploadHandle upload) {
      return tracked(handle, upload.finish(vertx, Objects.toString(headers.get(TransferApi.SHA256), ""))
        .onComplete(ar -> {
          if (ar.succeeded() || Failure.of(ar.cause()) == Failure.CHECKSUM_MISMATCH) {
            table.remove(id); // published, or dropped: either way the upload is over
          }
        })
        .map(sha256 -> new JsonObject().put(TransferApi.SHA256, sha256).put(TransferApi.SIZE, upload.accepted())));
    }
    throw Failure.BAD_REQUEST.exception("action " + action + " on this handle");
  }

  /** Counts the request as in progress, so the idle sweep leaves its handle alone meanwhile. */
  private static <T> Future<T> tracked(TransferHandle handle, Future<T> work) {
    handle.started();
    return work.onComplete(ar -> handle.ended());
  }

  private static long number(MultiMap headers, String name) {
    String text = headers.get(name);
    try {
      long value = Long.parseLong(text == null ? "" : text);
      if (value < 0) {
        throw Failure.BAD_REQUEST.exception(name + " is negative");
      }
      return value;
    } catch (NumberFormatException e) {
      throw Failure.BAD_REQUEST.exception(name + " must be a number");
    }
  }

  private static void fail(Message<Buffer> message, String action, Throwable error) {
    if (error instanceof ReplyException re) {
      message.fail(re.failureCode(), re.getMessage());
    } else if (error instanceof java.nio.channels.ClosedChannelException) {
      // A read or write that raced the close of its handle (a cancel, a dropped client): the
      // handle is gone, which the caller already knows; nothing went wrong here.
      message.fail(Failure.NO_SUCH_HANDLE.code(), Failure.NO_SUCH_HANDLE.name());
    } else {
      LOG.log(Level.ERROR, "transfer " + action + " failed", error);
      message.fail(Failure.INTERNAL.code(), Failure.INTERNAL.name());
    }
  }
}
