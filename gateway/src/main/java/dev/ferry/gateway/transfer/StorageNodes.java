package dev.ferry.gateway.transfer;

import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Opens transfers on storage (TransferApi OPEN_READ, OPEN_WRITE at {@link Addresses#STORAGE},
 * any node) and makes the {@link StorageHandle} that talks to the node holding each one.
 */
public final class StorageNodes {

  /**
   * An open may hash a whole file (a download with no stored digest, a resumed upload's prefix):
   * minutes for a big one, so it gets far longer than an ordinary request.
   */
  public static final long OPEN_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(15);

  private final Vertx vertx;
  private final BusClient opens;
  private final TransferBudget budget;

  public StorageNodes(Vertx vertx, TransferBudget budget) {
    this.vertx = vertx;
    this.opens = new BusClient(vertx, Addresses.STORAGE, OPEN_TIMEOUT_MS);
    this.budget = budget;
  }

  /** The memory all transfers of this gateway share. */
  public TransferBudget budget() {
    return budget;
  }

  /** {path} -> {node, handle, size, sha256}. */
  public Future<JsonObject> openRead(String token, String path) {
    return opens.request(TransferApi.OPEN_READ, token, new JsonObject().put(TransferApi.PATH, path));
  }

  /** {dir, name, size, sha256, overwrite} -> {node, handle, offset, replacing}. */
  public Future<JsonObject> openWrite(String token, String dir, String name, long size, String sha256, boolean overwrite) {
    return opens.request(TransferApi.OPEN_WRITE, token, new JsonObject().put(TransferApi.DIR, dir).put(TransferApi.NAME, name)
      .put(TransferApi.SIZE, size).put(TransferApi.SHA256, sha256).put(TransferApi.OVERWRITE, overwrite));
  }

  /**
   * The handle an open reply names.
   *
   * @throws IllegalStateException if the reply does not name a node and a handle
   */
  public StorageHandle handle(JsonObject opened, Supplier<String> token) {
    String node = opened.getString(TransferApi.NODE);
    String handle = opened.getString(TransferApi.HANDLE);
    if (node == null || !node.startsWith(Addresses.STORAGE_NODE_PREFIX) || handle == null) {
      throw new IllegalStateException("storage opened a transfer without a node or a handle");
    }
    return new StorageHandle(vertx, node, handle, token);
  }
}
