package dev.ferry.gateway.transfer;

import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.ChunkCodec;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5: "If a storage node dies mid-transfer the session gets a clean failure". A node that
 * is gone never answers what was already sent to it, so a READ or WRITE gives up after
 * {@link StorageHandle#IO_TIMEOUT_MS}, far sooner than other requests; a node whose address has
 * no consumer any more fails at once; closing a handle on it still succeeds. Only a request
 * the node answered is over for it: the gateway reuses a chunk's memory after that alone.
 */
@ExtendWith(VertxExtension.class)
class StorageHandleTest {

  private static final String NODE = Addresses.STORAGE_NODE_PREFIX + "test";

  @Test
  void readsAndWritesGiveUpOnANodeThatNeverAnswers(Vertx vertx, VertxTestContext context) {
    assertThat(StorageHandle.IO_TIMEOUT_MS).isLessThan(BusClient.DEFAULT_TIMEOUT_MS);
    ChunkCodec.register(vertx); // as GatewayVerticle does: writes carry their chunk with it
    vertx.eventBus().consumer(NODE, message -> {
      // a dead node: the request went out, no reply ever comes
    }).completion().onComplete(context.succeeding(v -> {
      StorageHandle handle = new StorageHandle(vertx, NODE, "h1", () -> "token", 200);
      long started = System.nanoTime();
      handle.read(0, 10).onComplete(context.failing(readError -> {
        handle.write(0, Buffer.buffer("abc"), true)
          .onComplete(context.failing(writeError -> context.verify(() -> {
            assertThat(readError).isInstanceOf(ReplyException.class);
            assertThat(((ReplyException) readError).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
            assertThat(((ReplyException) writeError).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
            assertThat(StorageHandle.answered(Future.failedFuture(writeError)))
              .as("a timed-out write's chunk may still be in the node's hands").isFalse();
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
            context.completeNow();
          })));
      }));
    }));
  }

  @Test
  void aNodeThatIsGoneFailsAtOnceAndClosingOnItSucceeds(Vertx vertx, VertxTestContext context) {
    StorageHandle handle = new StorageHandle(vertx, NODE, "h1", () -> "token");
    handle.read(0, 10).onComplete(context.failing(error -> context.verify(() -> {
      assertThat(((ReplyException) error).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
      assertThat(StorageHandle.answered(Future.failedFuture(error))).isFalse();
      handle.close().onComplete(context.succeedingThenComplete());
    })));
  }

  @Test
  void aWriteTheNodeAnsweredIsOverForTheNodeWhetherItSucceededOrNot(Vertx vertx, VertxTestContext context) {
    ChunkCodec.register(vertx);
    vertx.eventBus().<Buffer>consumer(NODE, message -> {
      if (message.body().length() == 3) {
        message.reply(new JsonObject().put(TransferApi.STORED, 3L));
      } else {
        message.fail(Failure.BAD_OFFSET.code(), "expected 3");
      }
    }).completion().onComplete(context.succeeding(v -> {
      StorageHandle handle = new StorageHandle(vertx, NODE, "h1", () -> "token");
      handle.write(0, Buffer.buffer("abc"), false).onComplete(stored ->
        handle.write(0, Buffer.buffer("abcd"), false).onComplete(refused -> context.verify(() -> {
          assertThat(stored.succeeded()).isTrue();
          assertThat(refused.failed()).isTrue();
          assertThat(StorageHandle.answered(stored)).isTrue();
          assertThat(StorageHandle.answered(refused)).isTrue();
          context.completeNow();
        })));
    }));
  }

  @Test
  void aLiveNodeAnswersReadsAsBefore(Vertx vertx, VertxTestContext context) {
    vertx.eventBus().<Object>consumer(NODE, message -> message.reply(Buffer.buffer("0123456789")))
      .completion().onComplete(context.succeeding(v -> new StorageHandle(vertx, NODE, "h1", () -> "token", 200)
        .read(0, 10).onComplete(context.succeeding(bytes -> context.verify(() -> {
          assertThat(bytes.toString()).isEqualTo("0123456789");
          context.completeNow();
        })))));
  }
}
