package dev.ferry.quota;

import io.vertx.core.Future;

import java.util.function.UnaryOperator;

/**
 * Where the quota limits are kept: {@code <data>/quota.json} ({@link FileLimitsStore}, the
 * default) or the {@code quota_limits} table of the shared account database
 * ({@link PgLimitsStore}). Neither blocks an event loop.
 */
interface LimitsStore {

  /** The limits as stored now. */
  Future<QuotaLimits> load();

  /**
   * Applies {@code change} to the limits as stored now, with no other change of any instance in
   * between, and stores the result; the limits now in force.
   */
  Future<QuotaLimits> change(UnaryOperator<QuotaLimits> change);

  Future<Void> close();
}
