package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import static dev.ferry.storage.TransferFixture.failureOf;
import static dev.ferry.storage.TransferFixture.openRead;
import static dev.ferry.storage.TransferFixture.openWrite;
import static org.assertj.core.api.Assertions.assertThat;

/** The bounds of a node: handles per node, idle handles, expired partial uploads. */
class TransferLimitsTest extends DeployedStorage {

  @Override
  JsonObject config() {
    return super.config().put("maxHandlesPerNode", 1).put("handleIdleSeconds", 1).put("partialExpiryHours", 1);
  }

  private static Future<Void> after(Vertx vertx, long millis) {
    Promise<Void> elapsed = Promise.promise();
    vertx.setTimer(millis, id -> elapsed.complete());
    return elapsed.future();
  }

  @Test
  void oneHandleMoreThanTheNodeHoldsIsBusy(Vertx vertx, VertxTestContext ctx) {
    storage.request(TransferApi.OPEN_READ, alice, openRead("/home/alice/notes.txt"))
      .compose(first -> failureOf(storage.request(TransferApi.OPEN_READ, bob, openRead("/home/bob/secret.txt")))
        .compose(busy -> {
          ctx.verify(() -> assertThat(busy).isEqualTo(Failure.BUSY));
          return new TransferRequests(vertx, first).close(alice);
        }))
      .compose(closed -> storage.request(TransferApi.OPEN_READ, bob, openRead("/home/bob/secret.txt")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anIdleUploadHandleIsClosedAndItsPartialKept(Vertx vertx, VertxTestContext ctx) {
    byte[] content = TransferFixture.randomBytes(1000, 5);
    storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", "idle.bin", content, false))
      .compose(opened -> {
        TransferRequests node = new TransferRequests(vertx, opened);
        return node.write(alice, 0, Buffer.buffer(content).slice(0, 400), true)
          .compose(stored -> after(vertx, 2_500))
          .compose(v -> failureOf(node.write(alice, 400, Buffer.buffer(content).slice(400, 500), true)));
      })
      .compose(failure -> {
        ctx.verify(() -> {
          assertThat(failure).isEqualTo(Failure.NO_SUCH_HANDLE);
          assertThat(quota.sum("alice")).as("the partial the idle close kept").isEqualTo(400);
          assertThat(quota.reserved("alice")).as("the idle close gave the reservation back").isZero();
        });
        return storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", "idle.bin", content, false));
      })
      .onComplete(ctx.succeeding(reopened -> ctx.verify(() -> {
        assertThat(reopened.getLong(TransferApi.OFFSET)).isEqualTo(400);
        ctx.completeNow();
      })));
  }

  /** PROTOCOL.md s5: partial uploads "expire after a configurable time"; here one hour, swept at start. */
  @Test
  void expiredPartialsAreRemovedAtStartAndFreshOnesKept(Vertx vertx, VertxTestContext ctx) throws Exception {
    PartialUploads partials = new PartialUploads(data.resolve(StorageOptions.PARTIAL_DIR));
    long now = System.currentTimeMillis();
    String old = PartialUploads.keyOf("/home/alice/old.bin");
    String fresh = PartialUploads.keyOf("/home/alice/fresh.bin");
    Files.write(partials.part(old), new byte[10]);
    partials.writeMeta(old, new PartialUploads.Meta("alice", "/home/alice/old.bin", 100, "", now - TimeUnit.HOURS.toMillis(2)));
    Files.write(partials.part(fresh), new byte[10]);
    partials.writeMeta(fresh, new PartialUploads.Meta("alice", "/home/alice/fresh.bin", 100, "", now));
    restartStorage(vertx).onComplete(ctx.succeeding(id -> ctx.verify(() -> {
      assertThat(quota.sum("alice")).as("the expired partial's bytes").isEqualTo(-10);
      assertThat(quota.problems()).isEmpty();
      assertThat(partials.part(old)).doesNotExist();
      assertThat(partials.meta(old)).doesNotExist();
      assertThat(partials.part(fresh)).exists();
      assertThat(Files.readString(partials.meta(fresh), StandardCharsets.UTF_8)).contains("fresh.bin");
      ctx.completeNow();
    })));
  }
}
