package dev.ferry.quota;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.UnaryOperator;

/**
 * The limits in {@code quota.json} on the data volume, read and written on a worker. A change
 * holds the cluster-wide lock of the limits, since other instances may share the volume.
 */
final class FileLimitsStore implements LimitsStore {

  /** The lock changes of the limits file hold: not an account name (those never hold '*'). */
  private static final String LIMITS_LOCK = "*limits";

  private final Vertx vertx;
  private final QuotaOptions options;
  private final AccountLock lock;

  FileLimitsStore(Vertx vertx, QuotaOptions options, AccountLock lock) {
    this.vertx = vertx;
    this.options = options;
    this.lock = lock;
  }

  @Override
  public Future<QuotaLimits> load() {
    return vertx.executeBlocking(() -> QuotaLimits.load(options.quotaFile(), options.defaultQuota()), false);
  }

  @Override
  public Future<QuotaLimits> change(UnaryOperator<QuotaLimits> change) {
    return lock.holding(LIMITS_LOCK, () -> vertx.executeBlocking(() -> {
      QuotaLimits current = QuotaLimits.load(options.quotaFile(), options.defaultQuota());
      QuotaLimits next = change.apply(current);
      if (next != current) {
        next.save(options.quotaFile());
      }
      return next;
    }, false));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
