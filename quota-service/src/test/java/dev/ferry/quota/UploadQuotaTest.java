package dev.ferry.quota;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.ChunkCodec;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.QuotaRefusal;
import dev.ferry.protocol.bus.StorageApi;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.ferry.quota.RealServices.MIB;
import static dev.ferry.quota.RealServices.reserve;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage holds every upload to its quota itself (TransferApi, "Quota"), whoever opens it: here a
 * plain bus caller with a session token, no gateway, against the real auth, storage and quota
 * services. No request carries anything about quota: there is nothing to leave out.
 */
@ExtendWith(VertxExtension.class)
class UploadQuotaTest {

  private static final long LIMIT = MIB;
  private static final int CHUNK = 256 * 1024;

  @TempDir
  Path data;
  BusClient quota;
  BusClient storage;
  String alice;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) throws IOException {
    RealServices.writeLimits(data, new JsonObject().put("alice", LIMIT));
    alice = RealServices.token(vertx, "alice", Role.USER);
    quota = new BusClient(vertx, Addresses.QUOTA);
    storage = new BusClient(vertx, Addresses.STORAGE);
    JsonObject config = RealServices.config(data, QuotaOptions.DEFAULT_RESERVATION_SECONDS);
    RealServices.deployAuthAndStorage(vertx, config, "alice")
      .compose(v -> RealServices.deploy(vertx, new QuotaVerticle(), config))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aKnownSizeUploadPastTheQuotaIsRefusedAtTheOpenAndOneWithinIsCounted(Vertx vertx, VertxTestContext ctx) {
    byte[] content = bytes(600 * 1024, 1);
    opened(storage.request(TransferApi.OPEN_WRITE, alice, known("too-big.bin", (int) LIMIT + 1)))
      .compose(refused -> {
        ctx.verify(() -> {
          assertThat(QuotaRefusal.of(refused)).as("the open's failure").contains(new QuotaRefusal(0, LIMIT));
          assertThat(partials()).isEmpty();
        });
        return storage.request(TransferApi.OPEN_WRITE, alice, known("fits.bin", content.length));
      })
      .compose(open -> {
        Node node = new Node(vertx, open);
        return writeAll(node, content).compose(v -> node.request(TransferApi.FINISH, null));
      })
      .compose(finished -> used())
      .compose(used -> {
        ctx.verify(() -> assertThat(used).as("usage after the publish").isEqualTo(content.length));
        // What is left is LIMIT - content.length: a second upload of the same size does not fit.
        return opened(storage.request(TransferApi.OPEN_WRITE, alice, known("again.bin", content.length)));
      })
      .compose(refused -> {
        ctx.verify(() -> assertThat(QuotaRefusal.of(refused)).contains(new QuotaRefusal(content.length, LIMIT)));
        return roomLeft();
      })
      .onComplete(ctx.succeeding(room -> ctx.verify(() -> {
        assertThat(room).as("no reservation outlives its upload").isEqualTo(LIMIT - content.length);
        ctx.completeNow();
      })));
  }

  @Test
  void anUnknownSizeUploadPastTheQuotaFailsAndLeavesNothingCounted(Vertx vertx, VertxTestContext ctx) {
    byte[] content = bytes((int) LIMIT + CHUNK, 2);
    storage.request(TransferApi.OPEN_WRITE, alice, unknown("grows.bin"))
      .compose(open -> {
        Node node = new Node(vertx, open);
        List<Future<Failure>> writes = new ArrayList<>();
        for (int offset = 0; offset < content.length; offset += CHUNK) {
          writes.add(failureOf(node.write(offset, Buffer.buffer(content).slice(offset, offset + CHUNK).copy())));
        }
        return Future.join(writes).map(all -> writes.stream().map(Future::result).toList())
          .compose(outcomes -> failureOf(node.write(content.length, Buffer.buffer("x"))).map(after -> {
            ctx.verify(() -> {
              assertThat(outcomes).as("the writes within the limit, then the one past it")
                .containsExactly(null, null, null, null, Failure.QUOTA_EXCEEDED);
              assertThat(after).as("the upload has ended").isEqualTo(Failure.NO_SUCH_HANDLE);
            });
            return node;
          }))
          .compose(n -> n.request(TransferApi.CLOSE, null));
      })
      .compose(closed -> used())
      .compose(used -> {
        ctx.verify(() -> {
          assertThat(used).as("usage after the refused upload").isZero();
          assertThat(partials()).as("no partial data left").isEmpty();
          assertThat(RealServices.home(data, "alice").resolve("grows.bin")).doesNotExist();
        });
        return storage.request(StorageApi.USAGE, alice, new JsonObject().put(StorageApi.ACCOUNT, "alice"));
      })
      .compose(recount -> {
        ctx.verify(() -> assertThat(recount.getLong(StorageApi.BYTES)).as("a recount of the disk").isZero());
        return roomLeft();
      })
      .onComplete(ctx.succeeding(room -> ctx.verify(() -> {
        assertThat(room).as("the reservation was given back").isEqualTo(LIMIT);
        ctx.completeNow();
      })));
  }

  @Test
  void anUnknownSizeUploadWithinTheQuotaIsPublishedAtFinishAndCounted(Vertx vertx, VertxTestContext ctx) {
    byte[] content = bytes(3 * CHUNK + 5, 3);
    storage.request(TransferApi.OPEN_WRITE, alice, unknown("sized-at-the-end.bin"))
      .compose(open -> {
        Node node = new Node(vertx, open);
        return writeAll(node, content).compose(v -> node.request(TransferApi.FINISH, null));
      })
      .compose(finished -> {
        ctx.verify(() -> assertThat(finished.getLong(TransferApi.SIZE)).isEqualTo(content.length));
        return used();
      })
      .onComplete(ctx.succeeding(used -> ctx.verify(() -> {
        assertThat(used).isEqualTo(content.length);
        assertThat(Files.readAllBytes(RealServices.home(data, "alice").resolve("sized-at-the-end.bin"))).isEqualTo(content);
        assertThat(partials()).isEmpty();
        ctx.completeNow();
      })));
  }

  /** TransferApi OPEN_WRITE without size: a closed upload's partial goes on only when the opener asks to resume. */
  @Test
  void anUnknownSizePartialResumesOnlyWhenAsked(Vertx vertx, VertxTestContext ctx) {
    byte[] content = bytes(2 * CHUNK, 4);
    storage.request(TransferApi.OPEN_WRITE, alice, unknown("later.bin"))
      .compose(open -> {
        Node node = new Node(vertx, open);
        return writeAll(node, content).compose(v -> node.request(TransferApi.CLOSE, null));
      })
      .compose(closed -> storage.request(TransferApi.OPEN_WRITE, alice, unknown("later.bin").put(TransferApi.RESUME, true)))
      .compose(resumed -> {
        ctx.verify(() -> assertThat(resumed.getLong(TransferApi.OFFSET)).isEqualTo(content.length));
        return new Node(vertx, resumed).request(TransferApi.CLOSE, null);
      })
      .compose(closed -> storage.request(TransferApi.OPEN_WRITE, alice, unknown("later.bin")))
      .compose(fresh -> {
        ctx.verify(() -> assertThat(fresh.getLong(TransferApi.OFFSET)).as("started over").isZero());
        return new Node(vertx, fresh).request(TransferApi.CLOSE, null);
      })
      .compose(closed -> used())
      .onComplete(ctx.succeeding(used -> ctx.verify(() -> {
        assertThat(used).as("an emptied partial counts nothing").isZero();
        assertThat(partials()).isEmpty();
        ctx.completeNow();
      })));
  }

  private static JsonObject known(String name, long size) {
    return unknown(name).put(TransferApi.SIZE, size);
  }

  private static JsonObject unknown(String name) {
    return new JsonObject().put(TransferApi.DIR, "/home/alice").put(TransferApi.NAME, name).put(TransferApi.SHA256, "")
      .put(TransferApi.OVERWRITE, false);
  }

  private static byte[] bytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** The failure an open was refused with; fails the test's chain when the open succeeded. */
  private static Future<Throwable> opened(Future<JsonObject> open) {
    return open.transform(ar -> ar.failed() ? Future.succeededFuture(ar.cause())
      : Future.failedFuture(new AssertionError("the open succeeded: " + ar.result())));
  }

  private static Future<Failure> failureOf(Future<?> request) {
    return request.transform(ar -> Future.succeededFuture(ar.failed() ? Failure.of(ar.cause()) : null));
  }

  private Future<Void> writeAll(Node node, byte[] content) {
    List<Future<JsonObject>> writes = new ArrayList<>();
    for (int offset = 0; offset < content.length; offset += CHUNK) {
      writes.add(node.write(offset, Buffer.buffer(content).slice(offset, Math.min(offset + CHUNK, content.length)).copy()));
    }
    return Future.all(writes).mapEmpty();
  }

  private Future<Long> used() {
    return quota.request(QuotaApi.GET, alice, new JsonObject().put(QuotaApi.ACCOUNT, "alice")).map(r -> r.getLong(QuotaApi.USED));
  }

  /** The most alice can reserve now (taken back at once): her limit less usage and live reservations. */
  private Future<Long> roomLeft() {
    return quota.request(QuotaApi.RESERVE, alice, reserve("alice", 0)).compose(r -> {
      long room = LIMIT - r.getLong(QuotaApi.USED);
      return quota.request(QuotaApi.RELEASE, alice, RealServices.reservation("alice", r.getString(QuotaApi.RESERVATION))).map(room);
    });
  }

  private List<Path> partials() throws IOException {
    Path dir = data.resolve("partial");
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".part") || f.toString().endsWith(".json")).toList();
    }
  }

  /** The node actions of one handle, as any bus caller sends them: the action, the token, the handle; nothing else. */
  private final class Node {
    private final Vertx vertx;
    private final String address;
    private final String handle;

    Node(Vertx vertx, JsonObject opened) {
      this.vertx = vertx;
      this.address = opened.getString(TransferApi.NODE);
      this.handle = opened.getString(TransferApi.HANDLE);
    }

    Future<JsonObject> write(long offset, Buffer bytes) {
      return request(TransferApi.WRITE, bytes, TransferApi.OFFSET, String.valueOf(offset));
    }

    Future<JsonObject> request(String action, Buffer body, String... headers) {
      DeliveryOptions options = (body == null ? new DeliveryOptions() : ChunkCodec.options())
        .addHeader(BusService.ACTION_HEADER, action).addHeader(BusService.TOKEN_HEADER, alice).addHeader(TransferApi.HANDLE, handle);
      for (int i = 0; i < headers.length; i += 2) {
        options.addHeader(headers[i], headers[i + 1]);
      }
      return vertx.eventBus().<JsonObject>request(address, body, options).map(Message::body);
    }
  }
}
