package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.StorageApi;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static dev.ferry.storage.TransferFixture.failureOf;
import static dev.ferry.storage.TransferFixture.openWrite;
import static dev.ferry.storage.TransferFixture.randomBytes;
import static dev.ferry.storage.TransferFixture.sha256;
import static dev.ferry.storage.TransferFixture.writeAll;
import static org.assertj.core.api.Assertions.assertThat;

/** Upload handles (TransferApi OPEN_WRITE, WRITE, FINISH, CLOSE) through the real bus, on real files. */
class UploadHandleTest extends DeployedStorage {

  private static final int CHUNK = 64 * 1024;
  private static final byte[] CONTENT = randomBytes(1_000_000, 3);

  private Path target() {
    return files.resolve("home/alice/sub/upload.bin");
  }

  private Future<TransferRequests> open(Vertx vertx, JsonObject request, long expectedOffset, VertxTestContext ctx) {
    return storage.request(TransferApi.OPEN_WRITE, alice, request).map(opened -> {
      ctx.verify(() -> assertThat(opened.getLong(TransferApi.OFFSET)).as("offset").isEqualTo(expectedOffset));
      return new TransferRequests(vertx, opened);
    });
  }

  private Future<TransferRequests> open(Vertx vertx, long expectedOffset, VertxTestContext ctx) {
    return open(vertx, openWrite("/home/alice/sub", "upload.bin", CONTENT, false), expectedOffset, ctx);
  }

  private List<Path> partialFiles() throws IOException {
    try (Stream<Path> all = Files.list(data.resolve(StorageOptions.PARTIAL_DIR))) {
      return all.toList();
    }
  }

  @Test
  void pipelinedWritesAreStoredInOrderAndPublishedAtomically(Vertx vertx, VertxTestContext ctx) {
    open(vertx, 0, ctx)
      .compose(node -> vertx.fileSystem().exists(target().toString())
        .compose(visibleEarly -> writeAll(node, alice, CONTENT, 0, CONTENT.length, CHUNK).compose(stored -> {
          ctx.verify(() -> {
            assertThat(visibleEarly).as("nothing at the name before the publish").isFalse();
            assertThat(stored).isEqualTo(CONTENT.length);
            assertThat(target()).doesNotExist();
          });
          return node.finish(alice);
        })))
      .compose(sha -> storage.request(StorageApi.LIST, alice, path("/home/alice/sub")).map(listing -> {
        ctx.verify(() -> {
          assertThat(sha).isEqualTo(sha256(CONTENT));
          assertThat(Files.readAllBytes(target())).isEqualTo(CONTENT);
          assertThat(partialFiles()).as("no partial left").isEmpty();
          assertThat(listing.getJsonArray(StorageApi.ENTRIES).stream().map(e -> ((JsonObject) e).getString("name")))
            .containsExactly("deep.txt", "upload.bin");
        });
        return null;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * A chunk is the gateway's transfer memory until it is written; after that nothing on the node
   * may keep it, or every open upload holds its last chunk outside that bound (64 uploads at
   * once held 63 MiB so).
   */
  @Test
  void anOpenUploadDoesNotHoldAChunkItHasWritten(Vertx vertx, VertxTestContext ctx) {
    AtomicReference<WeakReference<Buffer>> sent = new AtomicReference<>();
    open(vertx, 0, ctx)
      .compose(node -> {
        Buffer chunk = Buffer.buffer(Arrays.copyOf(CONTENT, CHUNK));
        sent.set(new WeakReference<>(chunk));
        return node.write(alice, 0, chunk, false).compose(stored -> vertx.executeBlocking(() -> {
          // Off the event loop: a full collection clears what nothing references any more.
          for (int i = 0; i < 5 && sent.get().get() != null; i++) {
            System.gc();
          }
          return sent.get().get() == null;
        })).compose(collected -> node.close(alice).map(collected));
      })
      .onComplete(ctx.succeeding(collected -> ctx.verify(() -> {
        assertThat(collected).as("the written chunk was collected while the upload stayed open").isTrue();
        ctx.completeNow();
      })));
  }

  @Test
  void anEmptyFileIsPublishedAtOnce(Vertx vertx, VertxTestContext ctx) {
    byte[] empty = new byte[0];
    open(vertx, openWrite("/home/alice", "empty.txt", empty, false), 0, ctx)
      .compose(node -> node.finish(alice))
      .onComplete(ctx.succeeding(sha -> ctx.verify(() -> {
        assertThat(sha).isEqualTo(sha256(empty));
        assertThat(files.resolve("home/alice/empty.txt")).isEmptyFile();
        ctx.completeNow();
      })));
  }

  @Test
  void aWriteNotAtTheNextOffsetOrPastTheSizeWritesNothing(Vertx vertx, VertxTestContext ctx) {
    Buffer ten = Buffer.buffer(Arrays.copyOf(CONTENT, 10));
    open(vertx, 0, ctx).compose(node -> node.write(alice, 0, ten, true)
      .compose(stored -> Future.all(List.of(
        failureOf(node.write(alice, 0, ten, true)),
        failureOf(node.write(alice, 11, ten, true)),
        failureOf(node.write(alice, 10, Buffer.buffer(new byte[CONTENT.length]), true)),
        failureOf(node.finish(alice)))))
      .compose(failures -> node.write(alice, 10, Buffer.buffer(Arrays.copyOfRange(CONTENT, 10, 20)), true).map(stored -> {
        ctx.verify(() -> {
          assertThat(failures.list()).containsOnly(Failure.BAD_OFFSET);
          assertThat(stored).isEqualTo(20);
          assertThat(Files.size(data.resolve("partial").resolve(PartialUploads.keyOf("/home/alice/sub/upload.bin") + ".part")))
            .isEqualTo(20);
        });
        return node;
      })))
      .compose(node -> node.close(alice))
      .onComplete(ctx.succeedingThenComplete());
  }

  /** PROTOCOL.md s5: "A mismatch answers FAILE*0*CHECKSUM_MISMATCH and the partial data is dropped." */
  @Test
  void aChecksumMismatchPublishesNothingAndLeavesNothing(Vertx vertx, VertxTestContext ctx) {
    byte[] corrupted = CONTENT.clone();
    corrupted[500] ^= 1;
    open(vertx, 0, ctx)
      .compose(node -> writeAll(node, alice, corrupted, 0, corrupted.length, CHUNK)
        .compose(stored -> failureOf(node.finish(alice)))
        .compose(failure -> failureOf(node.write(alice, 0, Buffer.buffer("x"), false)).map(after -> List.of(failure, after))))
      .onComplete(ctx.succeeding(failures -> ctx.verify(() -> {
        assertThat(failures).containsExactly(Failure.CHECKSUM_MISMATCH, Failure.NO_SUCH_HANDLE);
        assertThat(target()).doesNotExist();
        assertThat(partialFiles()).isEmpty();
        ctx.completeNow();
      })));
  }

  /** PROTOCOL.md s5, extension: a checksum given after the chunks is checked as one given at the open. */
  @Test
  void aChecksumGivenAtTheFinishIsChecked(Vertx vertx, VertxTestContext ctx) {
    byte[] corrupted = CONTENT.clone();
    corrupted[700] ^= 1;
    JsonObject later = openWrite("/home/alice/sub", "upload.bin", CONTENT.length, "", false);
    open(vertx, later, 0, ctx)
      .compose(node -> writeAll(node, alice, corrupted, 0, corrupted.length, CHUNK)
        .compose(stored -> failureOf(node.finish(alice, sha256(CONTENT)))))
      .compose(mismatch -> {
        ctx.verify(() -> {
          assertThat(mismatch).isEqualTo(Failure.CHECKSUM_MISMATCH);
          assertThat(target()).doesNotExist();
          assertThat(partialFiles()).as("dropped").isEmpty();
        });
        return open(vertx, later, 0, ctx);
      })
      .compose(node -> writeAll(node, alice, CONTENT, 0, CONTENT.length, CHUNK)
        .compose(stored -> failureOf(node.finish(alice, "not hex")).map(bad -> {
          ctx.verify(() -> assertThat(bad).isEqualTo(Failure.BAD_REQUEST));
          return node;
        })))
      .compose(node -> node.finish(alice, sha256(CONTENT)))
      .compose(sha -> vertx.fileSystem().readFile(target().toString()).map(published -> {
        ctx.verify(() -> {
          assertThat(sha).isEqualTo(sha256(CONTENT));
          assertThat(published.getBytes()).isEqualTo(CONTENT);
        });
        return null;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * A partial begun without a checksum (one to come after the chunks) goes on when the next try
   * gives it at the open: the check at the end covers the whole file, so a prefix of other bytes
   * fails it and is dropped.
   */
  @Test
  void aPartialWithoutAChecksumIsResumedByAnUploadThatGivesOne(Vertx vertx, VertxTestContext ctx) {
    byte[] other = randomBytes(CONTENT.length, 98);
    JsonObject later = openWrite("/home/alice/sub", "upload.bin", CONTENT.length, "", false);
    open(vertx, later, 0, ctx)
      .compose(node -> writeAll(node, alice, CONTENT, 0, 300_000, CHUNK).compose(stored -> node.close(alice)))
      .compose(v -> open(vertx, 300_000, ctx))
      .compose(node -> writeAll(node, alice, CONTENT, 300_000, CONTENT.length, CHUNK).compose(stored -> node.finish(alice)))
      .compose(sha -> vertx.fileSystem().readFile(target().toString()))
      .compose(published -> {
        ctx.verify(() -> assertThat(published.getBytes()).isEqualTo(CONTENT));
        return open(vertx, openWrite("/home/alice/sub", "upload.bin", other.length, "", true), 0, ctx);
      })
      .compose(node -> writeAll(node, alice, CONTENT, 0, 200_000, CHUNK).compose(stored -> node.close(alice)))
      .compose(v -> open(vertx, openWrite("/home/alice/sub", "upload.bin", other, true), 200_000, ctx))
      .compose(node -> writeAll(node, alice, other, 200_000, other.length, CHUNK).compose(stored -> failureOf(node.finish(alice))))
      .compose(failure -> vertx.fileSystem().readFile(target().toString()).map(published -> {
        ctx.verify(() -> {
          assertThat(failure).as("the prefix was of other bytes").isEqualTo(Failure.CHECKSUM_MISMATCH);
          assertThat(published.getBytes()).as("the published file stays").isEqualTo(CONTENT);
          assertThat(partialFiles()).isEmpty();
        });
        return null;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aClosedUploadResumesWhereItsBytesEnd(Vertx vertx, VertxTestContext ctx) {
    int half = 400_000;
    open(vertx, 0, ctx)
      .compose(node -> writeAll(node, alice, CONTENT, 0, half, CHUNK).compose(stored -> node.close(alice)))
      .compose(closed -> storage.request(StorageApi.USAGE, alice, account("alice")))
      .compose(usage -> {
        long files = StorageFixture.NOTES.length() + StorageFixture.B.length() + StorageFixture.DEEP.length();
        ctx.verify(() -> assertThat(usage.getLong(StorageApi.BYTES)).as("partials count as usage").isEqualTo(files + half));
        return open(vertx, half, ctx);
      })
      .compose(node -> writeAll(node, alice, CONTENT, half, CONTENT.length, CHUNK).compose(stored -> node.finish(alice)))
      .onComplete(ctx.succeeding(sha -> ctx.verify(() -> {
        assertThat(sha).isEqualTo(sha256(CONTENT));
        assertThat(Files.readAllBytes(target())).isEqualTo(CONTENT);
        ctx.completeNow();
      })));
  }

  /** PROTOCOL.md s5: a partial is resumable after "a server restart in between"; here the node never closed it. */
  @Test
  void anUploadResumesOnAFreshNodeAfterTheOldOneWentAway(Vertx vertx, VertxTestContext ctx) {
    int part = 300_000;
    open(vertx, 0, ctx)
      .compose(node -> writeAll(node, alice, CONTENT, 0, part, CHUNK))
      .compose(stored -> restartStorage(vertx))
      .compose(restarted -> open(vertx, part, ctx))
      .compose(node -> writeAll(node, alice, CONTENT, part, CONTENT.length, CHUNK).compose(stored -> node.finish(alice)))
      .onComplete(ctx.succeeding(sha -> ctx.verify(() -> {
        assertThat(Files.readAllBytes(target())).isEqualTo(CONTENT);
        ctx.completeNow();
      })));
  }

  @Test
  void aPartialOfAnotherSizeOrChecksumIsStartedAfresh(Vertx vertx, VertxTestContext ctx) {
    byte[] other = randomBytes(CONTENT.length, 99);
    open(vertx, 0, ctx)
      .compose(node -> writeAll(node, alice, CONTENT, 0, 100_000, CHUNK).compose(stored -> node.close(alice)))
      .compose(v -> open(vertx, openWrite("/home/alice/sub", "upload.bin", other, false), 0, ctx))
      .compose(node -> writeAll(node, alice, other, 0, 50_000, CHUNK).compose(stored -> node.close(alice)))
      .compose(v -> open(vertx, openWrite("/home/alice/sub", "upload.bin", 50_000, "", false), 0, ctx))
      .compose(node -> node.close(alice))
      .onComplete(ctx.succeedingThenComplete());
  }

  /** Without a declared checksum a partial resumes on its size alone, and the finish compares nothing. */
  @Test
  void anUploadWithoutChecksumResumesOnItsSizeAndReportsTheRealChecksum(Vertx vertx, VertxTestContext ctx) {
    JsonObject request = openWrite("/home/alice/sub", "upload.bin", CONTENT.length, "", false);
    open(vertx, request, 0, ctx)
      .compose(node -> writeAll(node, alice, CONTENT, 0, 200_000, CHUNK).compose(stored -> node.close(alice)))
      .compose(v -> open(vertx, request, 200_000, ctx))
      .compose(node -> writeAll(node, alice, CONTENT, 200_000, CONTENT.length, CHUNK).compose(stored -> node.finish(alice)))
      .onComplete(ctx.succeeding(sha -> ctx.verify(() -> {
        assertThat(sha).isEqualTo(sha256(CONTENT));
        ctx.completeNow();
      })));
  }

  /** PROTOCOL.md s5: BUSY, "the same target is being uploaded by another connection". */
  @Test
  void aTargetBeingUploadedIsBusyUntilItsHandleCloses(Vertx vertx, VertxTestContext ctx) {
    open(vertx, 0, ctx)
      .compose(first -> writeAll(first, alice, CONTENT, 0, 1000, CHUNK)
        .compose(stored -> failureOf(storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice/sub", "upload.bin", CONTENT, false))))
        .compose(busy -> {
          ctx.verify(() -> assertThat(busy).isEqualTo(Failure.BUSY));
          return first.close(alice);
        }))
      .compose(closed -> open(vertx, 1000, ctx))
      .compose(node -> node.close(alice))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anExistingFileIsReplacedOnlyWithOverwrite(Vertx vertx, VertxTestContext ctx) {
    failureOf(storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", "notes.txt", CONTENT, false)))
      .compose(exists -> {
        ctx.verify(() -> assertThat(exists).isEqualTo(Failure.ALREADY_EXISTS));
        return storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", "notes.txt", CONTENT, true));
      })
      .compose(opened -> {
        ctx.verify(() -> assertThat(opened.getLong(TransferApi.REPLACING)).isEqualTo(StorageFixture.NOTES.length()));
        TransferRequests node = new TransferRequests(vertx, opened);
        return writeAll(node, alice, CONTENT, 0, CONTENT.length, CHUNK).compose(stored -> node.finish(alice));
      })
      .onComplete(ctx.succeeding(sha -> ctx.verify(() -> {
        assertThat(Files.readAllBytes(files.resolve("home/alice/notes.txt"))).isEqualTo(CONTENT);
        ctx.completeNow();
      })));
  }

  @ParameterizedTest
  @CsvSource({
    "/home/alice/missing, a.bin, NOT_FOUND",
    "/home/alice/notes.txt, a.bin, IS_A_DIRECTORY",
    "/home/alice, sub, IS_A_DIRECTORY",
    "/home/alice, a*b, BAD_NAME",
    "/home/alice, .., BAD_NAME",
    "/home/bob, a.bin, NO_PERMISSION",
    "/home/alice/etc, a.bin, NO_PERMISSION",
    "/home/alice, etc, NO_PERMISSION",
  })
  void refusesTargetsTheCallerMayNotWrite(String dir, String name, Failure expected, VertxTestContext ctx) {
    failureOf(storage.request(TransferApi.OPEN_WRITE, alice, openWrite(dir, name, CONTENT, false)))
      .onComplete(ctx.succeeding(failure -> ctx.verify(() -> {
        assertThat(failure).isEqualTo(expected);
        ctx.completeNow();
      })));
  }

  @Test
  void refusesMalformedOpens(VertxTestContext ctx) {
    Future.all(
        failureOf(storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", "a.bin", 10, "abc", false))),
        failureOf(storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", "a.bin", -1, "", false))),
        failureOf(storage.request(TransferApi.OPEN_WRITE, alice, new JsonObject().put(TransferApi.DIR, "/home/alice"))),
        failureOf(storage.request(TransferApi.OPEN_WRITE, null, openWrite("/home/alice", "a.bin", CONTENT, false))))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(all.list()).containsExactly(Failure.BAD_REQUEST, Failure.BAD_REQUEST, Failure.BAD_REQUEST, Failure.UNAUTHENTICATED);
        ctx.completeNow();
      })));
  }
}
