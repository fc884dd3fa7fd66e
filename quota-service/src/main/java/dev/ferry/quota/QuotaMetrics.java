package dev.ferry.quota;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/**
 * quota-service's meters, on Micrometer's global registry (no-ops until the launcher adds a
 * registry). Prometheus names:
 *
 * <ul>
 *   <li>{@code ferry_quota_rejections_total}: RESERVE requests refused because the upload would
 *       pass the account's limit (PROTOCOL.md s6: {@code NOT_READY*QUOTA_EXCEEDED})</li>
 * </ul>
 */
public final class QuotaMetrics {

  private static final Counter REJECTIONS = Counter.builder("ferry.quota.rejections")
    .description("Upload reservations refused because they would pass the account's quota")
    .register(Metrics.globalRegistry);

  private QuotaMetrics() {
  }

  /**
   * Makes sure the meters are registered (at 0) once the service starts, not only at the first
   * refusal: a scrape should show every series from the beginning.
   */
  static void register() {
    // Loading the class registered them.
  }

  /** A reservation was refused. */
  static void rejected() {
    REJECTIONS.increment();
  }
}
