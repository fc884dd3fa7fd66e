package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import static dev.ferry.storage.TransferFixture.failureOf;
import static dev.ferry.storage.TransferFixture.openRead;
import static dev.ferry.storage.TransferFixture.openWrite;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounds of one account on a node: open handles (the node has room for others still), and
 * partial uploads; an upload closed before a byte was stored leaves no partial behind.
 */
class AccountLimitsTest extends DeployedStorage {

  private static final byte[] CONTENT = TransferFixture.randomBytes(100, 21);

  @Override
  JsonObject config() {
    return super.config().put("maxHandlesPerAccount", 2).put("maxPartialsPerAccount", 2);
  }

  private PartialUploads partials() {
    return new PartialUploads(data.resolve(StorageOptions.PARTIAL_DIR));
  }

  private Future<JsonObject> upload(String name) {
    return storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", name, CONTENT, false));
  }

  @Test
  void anAccountHoldsAtMostItsShareOfHandles(Vertx vertx, VertxTestContext ctx) {
    storage.request(TransferApi.OPEN_READ, alice, openRead("/home/alice/notes.txt"))
      .compose(first -> storage.request(TransferApi.OPEN_READ, alice, openRead("/home/alice/notes.txt"))
        .compose(second -> failureOf(storage.request(TransferApi.OPEN_READ, alice, openRead("/home/alice/notes.txt")))
          .compose(third -> storage.request(TransferApi.OPEN_READ, bob, openRead("/home/bob/secret.txt"))
            .map(v -> {
              ctx.verify(() -> assertThat(third).as("alice's third").isEqualTo(Failure.BUSY));
              return v;
            }))
          .compose(bobs -> new TransferRequests(vertx, second).close(alice))))
      .compose(closed -> storage.request(TransferApi.OPEN_READ, alice, openRead("/home/alice/notes.txt")))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anAccountHasAtMostItsPartialUploadsAndMayStillResumeThem(Vertx vertx, VertxTestContext ctx) {
    Buffer firstBytes = Buffer.buffer(CONTENT).slice(0, 10);
    upload("p1.bin").compose(opened -> stored(vertx, opened, firstBytes))
      .compose(v -> upload("p2.bin")).compose(opened -> stored(vertx, opened, firstBytes))
      .compose(v -> failureOf(upload("p3.bin")))
      .compose(third -> {
        ctx.verify(() -> {
          assertThat(third).as("a third partial").isEqualTo(Failure.BUSY);
          assertThat(partials().part(PartialUploads.keyOf("/home/alice/p3.bin"))).doesNotExist();
        });
        return upload("p1.bin");
      })
      .onComplete(ctx.succeeding(resumed -> ctx.verify(() -> {
        assertThat(resumed.getLong(TransferApi.OFFSET)).as("resuming one it has").isEqualTo(10);
        ctx.completeNow();
      })));
  }

  @Test
  void anUploadClosedBeforeAnyByteLeavesNoPartial(Vertx vertx, VertxTestContext ctx) {
    upload("empty.bin")
      .compose(opened -> new TransferRequests(vertx, opened).close(alice))
      .compose(closed -> upload("a.bin")).compose(opened -> new TransferRequests(vertx, opened).close(alice))
      .compose(closed -> upload("b.bin")).compose(opened -> new TransferRequests(vertx, opened).close(alice))
      .onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
        PartialUploads partials = partials();
        for (String name : new String[] {"empty.bin", "a.bin", "b.bin"}) {
          assertThat(partials.part(PartialUploads.keyOf("/home/alice/" + name))).doesNotExist();
          assertThat(partials.meta(PartialUploads.keyOf("/home/alice/" + name))).doesNotExist();
        }
        assertThat(partials.countOf("alice")).isZero();
        ctx.completeNow();
      })));
  }

  /** Stores {@code bytes} and closes the upload, keeping its partial. */
  private Future<Void> stored(Vertx vertx, JsonObject opened, Buffer bytes) {
    TransferRequests node = new TransferRequests(vertx, opened);
    return node.write(alice, 0, bytes, true).compose(v -> node.close(alice)).mapEmpty();
  }
}
