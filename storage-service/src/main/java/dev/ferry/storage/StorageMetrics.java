package dev.ferry.storage;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The storage node's meters, on Micrometer's global registry (no-ops until the launcher adds a
 * registry). Prometheus names:
 *
 * <ul>
 *   <li>{@code ferry_partial_uploads}: partial uploads held on the node's data volume, from a
 *       count of {@code <data>/partial/*.part} at start and every {@link #PARTIAL_COUNT_MS}.</li>
 * </ul>
 *
 * <p>Counted on the disk rather than from what this node does: nodes share the volume, so one
 * may publish or expire a partial another created; every node of a volume reports its count.
 */
public final class StorageMetrics {

  /** How often the partial uploads are counted: a directory listing on a worker, cheap at that pace. */
  static final long PARTIAL_COUNT_MS = TimeUnit.SECONDS.toMillis(30);

  private static final System.Logger LOG = System.getLogger(StorageMetrics.class.getName());
  private static final String PART = ".part";
  private static final AtomicLong PARTIAL_UPLOADS = new AtomicLong();

  static {
    Gauge.builder("ferry.partial.uploads", PARTIAL_UPLOADS, AtomicLong::get)
      .description("Partial uploads held on this storage node's data volume")
      .register(Metrics.globalRegistry);
  }

  private StorageMetrics() {
  }

  /**
   * Counts the partial uploads in {@code partialDir} now and then periodically. Call from the
   * storage verticle: its timers end with its deployment.
   */
  static void watchPartials(Vertx vertx, Path partialDir) {
    countPartials(vertx, partialDir);
    vertx.setPeriodic(PARTIAL_COUNT_MS, id -> countPartials(vertx, partialDir));
  }

  /** One count on a worker; the gauge shows it once done. Never fails: a failed count is logged and keeps the last value. */
  static Future<Long> countPartials(Vertx vertx, Path partialDir) {
    return vertx.executeBlocking(() -> count(partialDir), false)
      .onSuccess(PARTIAL_UPLOADS::set)
      .recover(error -> {
        LOG.log(Level.WARNING, "counting the partial uploads in " + partialDir + " failed", error);
        return Future.succeededFuture(PARTIAL_UPLOADS.get());
      });
  }

  /** The {@code .part} files in {@code dir}: one per partial upload ({@link PartialUploads}). Blocking. */
  static long count(Path dir) throws IOException {
    long parts = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + PART)) {
      for (Path ignored : entries) {
        parts++;
      }
    } catch (NoSuchFileException e) {
      return 0;
    }
    return parts;
  }
}
