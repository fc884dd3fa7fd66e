package dev.ferry.gateway.transfer;

import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.ChunkCodec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5: "If a storage node dies mid-transfer the session gets a clean failure". A node that
 * is gone never answers what was already sent to it, so a READ or WRITE gives up after
 * {@link StorageHandle#IO_TIMEOUT_MS}, far sooner than other requests; a node whose address has
 * no consumer any more fails at once; closing a handle on it still succeeds.
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
        handle.write(0, Buffer.buffer("abc"), true, OptionalLong.empty())
          .onComplete(context.failing(writeError -> context.verify(() -> {
            assertThat(readError).isInstanceOf(ReplyException.class);
            assertThat(((ReplyException) readError).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
            assertThat(((ReplyException) writeError).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
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
      handle.close().onComplete(context.succeedingThenComplete());
    })));
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
