package dev.ferry.storage;

import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.StorageApi;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.function.Consumer;

import static dev.ferry.storage.TransferFixture.failureOf;
import static dev.ferry.storage.TransferFixture.openWrite;
import static dev.ferry.storage.TransferFixture.randomBytes;
import static dev.ferry.storage.TransferFixture.sha256;
import static dev.ferry.storage.TransferFixture.writeAll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * StorageApi: "a failed ADJUST is logged and does not fail the request (the disk changed; an
 * admin recount repairs the number)": with a quota-service that refuses ADJUST, and with one that
 * never answers it (both grant reservations). With nobody at the quota address an rm still
 * succeeds, but an upload is refused: its quota cannot be reserved, and no upload goes unlimited.
 */
class UsageReportFailuresTest extends DeployedStorage {

  private static final byte[] CONTENT = randomBytes(50_000, 21);

  @Override
  boolean quotaStandIn() {
    return false;
  }

  @Override
  JsonObject config() {
    return super.config().put("adjustTimeoutMillis", 300);
  }

  /** An rm and a finished upload (both report a change), each answered as if quota-service were fine. */
  private Future<Void> rmAndUploadSucceed(Vertx vertx, VertxTestContext ctx) {
    return storage.request(StorageApi.RM, alice, path("/home/alice/notes.txt"))
      .compose(freed -> {
        ctx.verify(() -> assertThat(freed.getLong(StorageApi.SIZE)).isEqualTo(StorageFixture.NOTES.length()));
        return storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", "up.bin", CONTENT, false));
      })
      .compose(opened -> {
        TransferRequests node = new TransferRequests(vertx, opened);
        return writeAll(node, alice, CONTENT, 0, CONTENT.length, 8192).compose(stored -> node.finish(alice));
      })
      .map(sha -> {
        ctx.verify(() -> {
          assertThat(sha).isEqualTo(sha256(CONTENT));
          assertThat(files.resolve("home/alice/notes.txt")).doesNotExist();
          assertThat(Files.readAllBytes(files.resolve("home/alice/up.bin"))).isEqualTo(CONTENT);
        });
        return null;
      });
  }

  /** A quota-service that grants every reservation and treats ADJUST with {@code adjust}. */
  private static Future<MessageConsumer<JsonObject>> quotaThat(Vertx vertx, Consumer<Message<JsonObject>> adjust) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.QUOTA, message -> {
      if (QuotaApi.ADJUST.equals(message.headers().get(BusService.ACTION_HEADER))) {
        adjust.accept(message);
      } else {
        message.reply(new JsonObject().put(QuotaApi.GRANTED, true).put(QuotaApi.RESERVATION, "r").put(QuotaApi.SECONDS, 600));
      }
    });
    return consumer.completion().map(consumer);
  }

  @Test
  void withNobodyAtTheQuotaAddress(Vertx vertx, VertxTestContext ctx) {
    storage.request(StorageApi.RM, alice, path("/home/alice/notes.txt"))
      .compose(freed -> failureOf(storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", "up.bin", CONTENT, false))))
      .onComplete(ctx.succeeding(refused -> ctx.verify(() -> {
        assertThat(files.resolve("home/alice/notes.txt")).doesNotExist();
        assertThat(refused).as("an upload whose quota cannot be reserved").isEqualTo(Failure.INTERNAL);
        try (var left = Files.list(data.resolve(StorageOptions.PARTIAL_DIR))) {
          assertThat(left.filter(f -> !Files.isDirectory(f))).as("partial data left").isEmpty();
        }
        ctx.completeNow();
      })));
  }

  @Test
  void withAQuotaServiceThatRefuses(Vertx vertx, VertxTestContext ctx) {
    int[] refused = {0};
    quotaThat(vertx, message -> {
      refused[0]++;
      message.fail(500, "INTERNAL");
    })
      .compose(consumer -> rmAndUploadSucceed(vertx, ctx))
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(refused[0]).as("ADJUST requests").isEqualTo(2);
        ctx.completeNow();
      })));
  }

  @Test
  void withAQuotaServiceThatNeverAnswers(Vertx vertx, VertxTestContext ctx) {
    int[] ignored = {0};
    quotaThat(vertx, message -> ignored[0]++)
      .compose(consumer -> rmAndUploadSucceed(vertx, ctx))
      .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertThat(ignored[0]).as("ADJUST requests").isEqualTo(2);
        ctx.completeNow();
      })));
  }
}
