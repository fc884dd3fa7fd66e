package dev.ferry.storage;

import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.StorageTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Tells quota-service how each change on disk moved an account's usage: {@link QuotaApi#ADJUST}
 * at {@link Addresses#QUOTA}, for the account {@link VirtualPath#ownerOf} the changed path.
 *
 * <p>StorageApi: "a failed ADJUST is logged and does not fail the request (the disk changed; an
 * admin recount repairs the number)", so every future here succeeds. The requests carry
 * storage-service's own token ({@link StorageTokens}), not a caller's session token: some changes
 * (an expired partial upload) have no caller at all, and quota-service takes ADJUST from storage
 * only.
 */
final class UsageReporter {

  private static final System.Logger LOG = System.getLogger(UsageReporter.class.getName());

  private final BusClient quota;
  private final StorageTokens.Signer signer;

  UsageReporter(Vertx vertx, long timeoutMs, StorageTokens.Signer signer) {
    this.quota = new BusClient(vertx, Addresses.QUOTA, timeoutMs);
    this.signer = signer;
  }

  /** The usage of the owner of {@code virtualPath} changed by {@code delta} bytes; nothing for a path no one owns. */
  Future<Void> adjust(String virtualPath, long delta) {
    return VirtualPath.ownerOf(virtualPath).map(owner -> adjustAccount(owner, delta)).orElse(Future.succeededFuture());
  }

  /**
   * {@code bytes} moved from {@code from} to {@code to}: StorageApi, "across homes: to's owner
   * gains what from's loses"; within one owner's home nothing changes.
   */
  Future<Void> moved(String from, String to, long bytes) {
    Optional<String> loser = VirtualPath.ownerOf(from);
    Optional<String> gainer = VirtualPath.ownerOf(to);
    if (loser.equals(gainer)) {
      return Future.succeededFuture();
    }
    return Future.all(adjust(from, -bytes), adjust(to, bytes)).mapEmpty();
  }

  /** The usage of {@code account} changed by {@code delta} bytes. */
  Future<Void> adjustAccount(String account, long delta) {
    if (delta == 0) {
      return Future.succeededFuture();
    }
    return quota.request(QuotaApi.ADJUST, signer.token(), new JsonObject().put(QuotaApi.ACCOUNT, account).put(QuotaApi.DELTA, delta))
      .<Void>mapEmpty()
      .recover(error -> {
        LOG.log(Level.WARNING, "quota-service did not take the usage change of " + account + " (" + delta
          + " bytes); a recount of the account repairs it: " + error);
        return Future.succeededFuture();
      });
  }
}
