package dev.ferry.quota;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What quota-service asks auth-service and storage-service. It asks on behalf of its caller, with
 * the caller's own token (only auth-service can sign one), so those services apply the caller's
 * own rights, never more.
 */
final class PeerServices {

  private static final System.Logger LOG = System.getLogger(PeerServices.class.getName());

  private final BusClient auth;
  private final BusClient storage;

  PeerServices(Vertx vertx) {
    this.auth = new BusClient(vertx, Addresses.AUTH);
    this.storage = new BusClient(vertx, Addresses.STORAGE);
  }

  /** The account's role, from auth-service; NO_SUCH_ACCOUNT and NO_PERMISSION pass through. */
  Future<Role> roleOf(String account, Principal caller) {
    return downstream(auth.request(AuthApi.GET, caller.token(), new JsonObject().put(AuthApi.ACCOUNT, account)))
      .map(reply -> Role.parse(reply.getString(AuthApi.ROLE))
        .orElseThrow(() -> new IllegalStateException("auth-service answered no role for an account")));
  }

  /** Bytes of the account's files and partial uploads, counted afresh by storage-service. */
  Future<Long> diskUsage(String account, Principal caller) {
    return downstream(storage.request(StorageApi.USAGE, caller.token(), new JsonObject().put(StorageApi.ACCOUNT, account)))
      .map(reply -> {
        Long bytes = reply.getLong(StorageApi.BYTES);
        if (bytes == null || bytes < 0) {
          throw new IllegalStateException("storage-service answered no usage for an account: " + reply);
        }
        return bytes;
      });
  }

  /**
   * A typed failure of another service passes through as it is; anything else (no handler, a
   * time-out) is logged here and becomes INTERNAL.
   */
  private static Future<JsonObject> downstream(Future<JsonObject> reply) {
    return reply.recover(e -> {
      Failure failure = Failure.of(e);
      if (failure == Failure.INTERNAL) {
        LOG.log(System.Logger.Level.ERROR, "a request to another service failed", e);
      }
      return Future.failedFuture(failure.exception());
    });
  }
}
