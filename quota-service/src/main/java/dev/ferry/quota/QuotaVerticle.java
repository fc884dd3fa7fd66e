package dev.ferry.quota;

import dev.ferry.protocol.bus.RequestFields;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.function.UnaryOperator;

/**
 * quota-service: serves {@link QuotaApi} at {@link Addresses#QUOTA}. Limits live in
 * {@link QuotaLimits}, stored in {@code <data>/quota.json}; usage is a recount by
 * storage-service, asked over the bus, so the files on disk stay the truth (ARCHITECTURE.md).
 *
 * <p>The service calls auth and storage on behalf of its caller with a token it issues itself
 * for the caller's principal ({@link BusService} verifies the caller's token but does not hand
 * it on), so those services apply the caller's own rights, never more.
 *
 * <p>Config keys: {@code data}, {@code defaultQuota}, {@code tokenSecret}, {@code tokenTtlSeconds}.
 */
public final class QuotaVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(QuotaVerticle.class.getName());

  private QuotaOptions options;
  private SessionTokens tokens;
  private BusClient auth;
  private BusClient storage;
  private QuotaLimits limits;
  /** The last change to the limits: each waits for the one before, so saves never cross. */
  private Future<?> lastChange = Future.succeededFuture();
  private MessageConsumer<JsonObject> consumer;

  public QuotaVerticle() {
  }

  @Override
  public Future<?> start() {
    options = new QuotaOptions(config());
    tokens = SessionTokens.fromConfig(vertx, config());
    auth = new BusClient(vertx, Addresses.AUTH);
    storage = new BusClient(vertx, Addresses.STORAGE);
    return vertx.executeBlocking(() -> QuotaLimits.load(options.quotaFile(), options.defaultQuota()), false)
      .compose(loaded -> {
        limits = loaded;
        return new BusService(vertx, Addresses.QUOTA, tokens)
          .on(QuotaApi.GET, this::get)
          .on(QuotaApi.SET, this::set)
          .on(QuotaApi.FORGET, this::forget)
          .register();
      })
      .onSuccess(registered -> {
        consumer = registered;
        LOG.log(System.Logger.Level.INFO, "quota-service: " + limits.explicitLimits().size() + " limits loaded, default "
          + options.defaultQuota() + " bytes");
      });
  }

  @Override
  public Future<?> stop() {
    // Let a save in progress finish before the verticle is gone.
    Future<?> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return Future.all(unregistered, lastChange.otherwiseEmpty());
  }

  /** {account} -> {account, used, limit} (admin or self). */
  private Future<JsonObject> get(Principal caller, JsonObject body) {
    String account = RequestFields.required(body, QuotaApi.ACCOUNT);
    if (!caller.mayManage(account)) {
      throw Failure.NO_PERMISSION.exception();
    }
    String token = tokens.issue(caller);
    return roleOf(account, token).compose(role -> usageOf(account, token).map(used -> new JsonObject()
      .put(QuotaApi.ACCOUNT, account)
      .put(QuotaApi.USED, used)
      .put(QuotaApi.LIMIT, limits.limitOf(account, role))));
  }

  /** {account, limit} -> {} (admin): only for an account auth-service knows. */
  private Future<JsonObject> set(Principal caller, JsonObject body) {
    requireAdmin(caller);
    String account = RequestFields.required(body, QuotaApi.ACCOUNT);
    long limit = RequestFields.bytes(body, QuotaApi.LIMIT);
    return roleOf(account, tokens.issue(caller)).compose(known -> change(current -> current.withLimit(account, limit)));
  }

  /** {account} -> {} (admin): drops the account's own limit, as on userdel. */
  private Future<JsonObject> forget(Principal caller, JsonObject body) {
    requireAdmin(caller);
    String account = RequestFields.required(body, QuotaApi.ACCOUNT);
    return change(current -> current.without(account));
  }

  /**
   * Applies {@code change} after every earlier change is done, stores the result on a worker,
   * and only then makes it the current limits: a failed save changes nothing.
   */
  private Future<JsonObject> change(UnaryOperator<QuotaLimits> change) {
    Future<JsonObject> done = lastChange.transform(previous -> {
      QuotaLimits next = change.apply(limits);
      if (next == limits) {
        return Future.succeededFuture(new JsonObject());
      }
      return vertx.executeBlocking(() -> {
        next.save(options.quotaFile());
        return next;
      }, false).map(saved -> {
        limits = saved;
        return new JsonObject();
      });
    });
    lastChange = done;
    return done;
  }

  /** The account's role, from auth-service; NO_SUCH_ACCOUNT passes through. */
  private Future<Role> roleOf(String account, String token) {
    return downstream(auth.request(AuthApi.GET, token, new JsonObject().put(AuthApi.ACCOUNT, account)))
      .map(reply -> Role.parse(reply.getString(AuthApi.ROLE))
        .orElseThrow(() -> new IllegalStateException("auth-service answered no role for an account")));
  }

  /** Bytes the account's files take, recounted by storage-service. */
  private Future<Long> usageOf(String account, String token) {
    return downstream(storage.request(StorageApi.USAGE, token, new JsonObject().put(StorageApi.ACCOUNT, account)))
      .map(reply -> reply.getLong(StorageApi.BYTES, 0L));
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

  private static void requireAdmin(Principal caller) {
    if (!caller.isAdmin()) {
      throw Failure.NO_PERMISSION.exception();
    }
  }
}
