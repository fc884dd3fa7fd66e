package dev.ferry.quota;

import dev.ferry.auth.db.AccountDatabase;
import dev.ferry.auth.db.DatabaseOptions;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.RequestFields;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.TokenRevocations;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.function.UnaryOperator;

/**
 * quota-service: serves {@link QuotaApi} at {@link Addresses#QUOTA}, the single authority on
 * usage. Limits live in {@link QuotaLimits}, stored in {@code <data>/quota.json} or, with
 * {@code accountStore=postgres}, in the shared account database ({@link LimitsStore}). Usage
 * ({@link Usage}) and reservations ({@link Reservations}) live in Vert.x shared data, cluster-wide
 * once Vert.x is clustered, so every instance sees the same numbers: an account's usage is counted
 * from the disk by storage-service the first time it is needed (the files on disk are the truth,
 * ARCHITECTURE.md), then kept current by the ADJUST storage-service sends for every change (signed
 * with storage's own key, {@link StorageCaller}: no other member may change usage), and an
 * admin RECOUNT sets it from the disk again. Reserve, renew, release, adjust, recount and forget
 * of an account each hold its cluster-wide {@link AccountLock}.
 *
 * <p>Config keys: {@code data}, {@code defaultQuota}, {@code reservationSeconds},
 * {@code tokenPublicKeys} (PEM texts), {@code tokenTtlSeconds}.
 */
public final class QuotaVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(QuotaVerticle.class.getName());
  /**
   * Published after every change of {@code quota.json}, so every quota-service instance of a
   * cluster (sharing the data volume) reloads it rather than answering from stale limits.
   */
  static final String LIMITS_CHANGED = "ferry.quota.limits-changed";

  private QuotaOptions options;
  private PeerServices peers;
  private AccountLock lock;
  private Usage usage;
  private QuotaLimits limits;
  private LimitsStore limitsStore;
  /** The last change to the limits: each waits for the one before, so saves never cross. */
  private Future<?> lastChange = Future.succeededFuture();
  private MessageConsumer<JsonObject> consumer;
  private MessageConsumer<Object> reloads;
  private TokenRevocations revocations;

  public QuotaVerticle() {
  }

  @Override
  public Future<?> start() {
    try {
      options = new QuotaOptions(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return TokenRevocations.start(vertx, SessionTokens.ttlSeconds(config())).compose(started -> {
      revocations = started;
      SessionTokens tokens;
      try {
        tokens = SessionTokens.fromConfig(vertx, config(), started);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      return start(tokens);
    });
  }

  private Future<MessageConsumer<JsonObject>> start(SessionTokens tokens) {
    QuotaMetrics.register();
    peers = new PeerServices(vertx);
    lock = new AccountLock(vertx);
    usage = new Usage(vertx, peers);
    UsageActions usageActions = new UsageActions(() -> limits, peers, lock, usage);
    ReservationActions reservationActions = new ReservationActions(() -> limits, peers, lock, usage,
      new Reservations(vertx, options.reservationSeconds()), options.reservationSeconds());
    return openLimits()
      .compose(opened -> {
        limitsStore = opened;
        return opened.load();
      })
      .compose(loaded -> {
        limits = loaded;
        reloads = vertx.eventBus().consumer(LIMITS_CHANGED, changed -> reload());
        return reloads.completion().compose(v -> new BusService(vertx, Addresses.QUOTA, tokens)
          .on(QuotaApi.GET, usageActions::get)
          .on(QuotaApi.SET, this::set)
          .on(QuotaApi.FORGET, this::forget)
          .on(QuotaApi.RESERVE, reservationActions::reserve)
          .on(QuotaApi.RENEW, reservationActions::renew)
          .on(QuotaApi.RELEASE, reservationActions::release)
          .onService(QuotaApi.ADJUST, new StorageCaller(vertx, options.dataDir()), usageActions::adjust)
          .on(QuotaApi.RECOUNT, usageActions::recount)
          .register());
      })
      .onFailure(error -> {
        if (limitsStore != null) {
          limitsStore.close();
        }
      })
      .onSuccess(registered -> {
        consumer = registered;
        LOG.log(System.Logger.Level.INFO, "quota-service: " + limits.explicitLimits().size() + " limits loaded, default "
          + options.defaultQuota() + " bytes, reservations live " + options.reservationSeconds() + " s");
      });
  }

  @Override
  public Future<?> stop() {
    // Let a save in progress finish before the verticle is gone.
    Future<?> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    Future<?> quiet = reloads == null ? Future.succeededFuture() : reloads.unregister();
    Future<?> revocationsClosed = revocations == null ? Future.succeededFuture() : revocations.close();
    return Future.all(unregistered, quiet, revocationsClosed, lastChange.otherwiseEmpty())
      .compose(v -> limitsStore == null ? Future.succeededFuture() : limitsStore.close());
  }

  /** quota.json, or the shared account database with {@code accountStore=postgres}. */
  private Future<LimitsStore> openLimits() {
    DatabaseOptions db;
    try {
      db = new DatabaseOptions(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (!db.postgres()) {
      return Future.succeededFuture(new FileLimitsStore(vertx, options, lock));
    }
    return AccountDatabase.open(vertx, db).map(opened -> new PgLimitsStore(opened, options.defaultQuota()));
  }

  /** {account, limit} -> {} (admin): only for an account auth-service knows. */
  private Future<JsonObject> set(Principal caller, JsonObject body) {
    requireAdmin(caller);
    String account = RequestFields.required(body, QuotaApi.ACCOUNT);
    long limit = RequestFields.bytes(body, QuotaApi.LIMIT);
    return peers.roleOf(account, caller).compose(known -> change(current -> current.withLimit(account, limit)));
  }

  /** {account} -> {} (admin): drops the account's own limit and its usage, as on userdel. */
  private Future<JsonObject> forget(Principal caller, JsonObject body) {
    requireAdmin(caller);
    String account = RequestFields.required(body, QuotaApi.ACCOUNT);
    return change(current -> current.without(account))
      .compose(changed -> lock.holding(account, () -> usage.forgetLocked(account)).map(changed));
  }

  /**
   * Applies {@code change} to the limits as the file holds them now, under the cluster-wide lock
   * of the limits (another instance may have just changed them), stores the result on a worker,
   * and only then makes it the current limits and tells the other instances: a failed save
   * changes nothing.
   */
  private Future<JsonObject> change(UnaryOperator<QuotaLimits> change) {
    Future<JsonObject> done = lastChange.transform(previous -> limitsStore.change(change).map(saved -> {
      limits = saved;
      vertx.eventBus().publish(LIMITS_CHANGED, null);
      return new JsonObject();
    }));
    lastChange = done;
    return done;
  }

  /** Another instance (or this one) changed the limits file: read it again. */
  private void reload() {
    limitsStore.load()
      .onSuccess(loaded -> limits = loaded)
      .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "reloading the quota limits failed; keeping the ones loaded", e));
  }

  private static void requireAdmin(Principal caller) {
    if (!caller.isAdmin()) {
      throw Failure.NO_PERMISSION.exception();
    }
  }
}
