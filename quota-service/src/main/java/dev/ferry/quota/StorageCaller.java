package dev.ferry.quota;

import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.StorageTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * Admits a request only when its token is storage-service's ({@link StorageTokens}). The public
 * key is read from the data volume on a worker the first time it is needed, since storage may
 * create it after quota has started, and kept once read; until it exists every request is
 * refused NO_PERMISSION. Used on the verticle's event loop only.
 */
final class StorageCaller implements BusService.TokenCheck {

  private static final System.Logger LOG = System.getLogger(StorageCaller.class.getName());

  private final Vertx vertx;
  private final Path dataDir;
  private Future<StorageTokens.Verifier> verifier;

  StorageCaller(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.dataDir = dataDir;
  }

  @Override
  public Future<Void> verify(String token) {
    if (token == null || token.isEmpty()) {
      return Future.failedFuture(Failure.NO_PERMISSION.exception());
    }
    return verifier().compose(v -> v.verify(token));
  }

  private Future<StorageTokens.Verifier> verifier() {
    Future<StorageTokens.Verifier> current = verifier;
    if (current == null) {
      Future<StorageTokens.Verifier> loading = vertx.executeBlocking(() -> StorageTokens.readPublicKey(dataDir), false)
        .map(pem -> new StorageTokens.Verifier(vertx, pem));
      verifier = loading;
      current = loading;
      loading.onFailure(e -> {
        // Not there yet (storage has not started) or unreadable: try again on the next request.
        if (verifier == loading) {
          verifier = null;
        }
        LOG.log(Level.WARNING, "storage-service's public key is not readable yet; refusing usage changes: " + e);
      });
    }
    return current.recover(e -> Future.failedFuture(Failure.NO_PERMISSION.exception()));
  }
}
