package dev.ferry.storage;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** ferry_partial_uploads: the partial uploads on the volume, counted on a worker. */
@ExtendWith(VertxExtension.class)
class StorageMetricsTest {

  @TempDir
  Path partial;
  SimpleMeterRegistry registry;

  @BeforeEach
  void addRegistry() {
    registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
  }

  @AfterEach
  void removeRegistry() {
    Metrics.removeRegistry(registry);
    registry.close();
  }

  @Test
  void countsThePartFilesOnlyAndShowsTheCount(Vertx vertx, VertxTestContext ctx) throws IOException {
    Files.write(partial.resolve("aaaa.part"), new byte[10]);
    Files.writeString(partial.resolve("aaaa.json"), "{}");
    Files.write(partial.resolve("bbbb.part"), new byte[0]);
    Files.write(partial.resolve("cccc.json.tmp"), new byte[1]);
    Files.createDirectories(partial.resolve("other"));
    StorageMetrics.countPartials(vertx, partial).onComplete(ctx.succeeding(count -> ctx.verify(() -> {
      assertThat(count).isEqualTo(2);
      assertThat(registry.get("ferry.partial.uploads").gauge().value()).isEqualTo(2);
      ctx.completeNow();
    })));
  }

  @Test
  void aMissingDirectoryHoldsNone(Vertx vertx, VertxTestContext ctx) {
    StorageMetrics.countPartials(vertx, partial.resolve("absent")).onComplete(ctx.succeeding(count -> ctx.verify(() -> {
      assertThat(count).isZero();
      assertThat(registry.get("ferry.partial.uploads").gauge().value()).isZero();
      ctx.completeNow();
    })));
  }
}
