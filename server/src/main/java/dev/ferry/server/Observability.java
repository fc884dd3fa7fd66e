package dev.ferry.server;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * The process's one metrics registry, in Prometheus format, and the Vert.x set up to report to it.
 *
 * <p>Ferry's own meters (gateway sessions, logins, transfers; quota rejections; partial uploads)
 * are declared by each service module on Micrometer's global registry, which is a composite:
 * until a registry is added to it they record nothing. {@link #registry()} adds this one, so
 * those meters, Vert.x's own (event bus, net servers and clients, pools: {@code vertx_*}) and the
 * JVM's ({@code jvm_*}, {@code process_*}) all land in the one registry that {@link OpsEndpoint}
 * serves at {@code /metrics}.
 *
 * <p>Process-wide on purpose: the global registry is too, and a process runs one Vert.x. Several
 * Vert.x instances of one JVM (tests) share it; their meters of the same name add up.
 */
public final class Observability {

  /**
   * The name vertx-micrometer-metrics files its backend under. Every Vert.x of this process uses
   * the same one, with the same registry.
   */
  static final String VERTX_REGISTRY_NAME = "ferry";

  private static PrometheusMeterRegistry registry;

  private Observability() {
  }

  /** The Prometheus registry, created and added to {@link Metrics#globalRegistry} on first use. */
  public static synchronized PrometheusMeterRegistry registry() {
    if (registry == null) {
      PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new JvmMemoryMetrics().bindTo(created);
      new JvmGcMetrics().bindTo(created);
      new JvmThreadMetrics().bindTo(created);
      new ClassLoaderMetrics().bindTo(created);
      new ProcessorMetrics().bindTo(created);
      new UptimeMetrics().bindTo(created);
      Metrics.addRegistry(created);
      registry = created;
    }
    return registry;
  }

  /** {@code options} (copied) with Vert.x metrics enabled, for {@link #vertxBuilder(VertxOptions)}. */
  public static VertxOptions withMetrics(VertxOptions options) {
    return new VertxOptions(options).setMetricsOptions(new MicrometerMetricsOptions()
      .setEnabled(true)
      .setRegistryName(VERTX_REGISTRY_NAME));
  }

  /**
   * What turns Vert.x's metrics into meters of {@link #registry()}: give it to
   * {@link VertxBuilder#withMetrics} together with options from {@link #withMetrics}.
   */
  public static VertxMetricsFactory metricsFactory() {
    return new MicrometerMetricsFactory(registry());
  }

  /** A builder of a Vert.x that reports to {@link #registry()}; add a cluster manager for a clustered one. */
  public static VertxBuilder vertxBuilder(VertxOptions options) {
    return Vertx.builder().with(withMetrics(options)).withMetrics(metricsFactory());
  }

  /** {@link #vertxBuilder(VertxOptions)} with the default options. */
  public static VertxBuilder vertxBuilder() {
    return vertxBuilder(new VertxOptions());
  }
}
