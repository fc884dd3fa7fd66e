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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static dev.ferry.storage.TransferFixture.failureOf;
import static dev.ferry.storage.TransferFixture.openRead;
import static dev.ferry.storage.TransferFixture.openWrite;
import static dev.ferry.storage.TransferFixture.readAll;
import static dev.ferry.storage.TransferFixture.sha256;
import static dev.ferry.storage.TransferFixture.writeAll;
import static org.assertj.core.api.Assertions.assertThat;

/** Read handles and stored digests (TransferApi OPEN_READ, READ, CLOSE; StorageApi CHECKSUM) through the real bus. */
class DownloadHandleTest extends DeployedStorage {

  private static final byte[] NOTES = StorageFixture.NOTES.getBytes(StandardCharsets.UTF_8);

  @Test
  void readsAFileInChunksAtAnyOffset(Vertx vertx, VertxTestContext ctx) {
    storage.request(TransferApi.OPEN_READ, alice, openRead("/home/alice/notes.txt")).compose(opened -> {
      TransferRequests node = new TransferRequests(vertx, opened);
      ctx.verify(() -> {
        assertThat(opened.getString(TransferApi.NODE)).startsWith("ferry.storage.node.");
        assertThat(opened.getLong(TransferApi.SIZE)).isEqualTo(NOTES.length);
        assertThat(opened.getString(TransferApi.SHA256)).isEqualTo(sha256(NOTES));
      });
      return Future.all(node.read(alice, 0, 5), node.read(alice, 5, 1 << 20), node.read(alice, NOTES.length, 10),
          failureOf(node.read(alice, NOTES.length + 1L, 10)))
        .compose(reads -> node.close(alice).map(reads))
        .compose(reads -> failureOf(node.read(alice, 0, 5)).compose(afterClose -> node.close(alice).map(v -> {
          ctx.verify(() -> {
            assertThat(reads.<Buffer>resultAt(0).toString()).isEqualTo(StorageFixture.NOTES.substring(0, 5));
            assertThat(reads.<Buffer>resultAt(1).toString()).isEqualTo(StorageFixture.NOTES.substring(5));
            assertThat(reads.<Buffer>resultAt(2).length()).isZero();
            assertThat(reads.<Failure>resultAt(3)).isEqualTo(Failure.BAD_OFFSET);
            assertThat(afterClose).isEqualTo(Failure.NO_SUCH_HANDLE);
          });
          return null;
        })));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @ParameterizedTest
  @CsvSource({
    "/home/alice/missing, NOT_FOUND",
    "/home/alice/sub, IS_A_DIRECTORY",
    "/home/bob/secret.txt, NO_PERMISSION",
    "/home/alice/etc/passwd, NO_PERMISSION",
    "/home/alice/big, NO_PERMISSION",
  })
  void refusesWhatIsNoFileOfTheCaller(String path, Failure expected, VertxTestContext ctx) {
    failureOf(storage.request(TransferApi.OPEN_READ, alice, openRead(path))).onComplete(ctx.succeeding(failure -> ctx.verify(() -> {
      assertThat(failure).isEqualTo(expected);
      ctx.completeNow();
    })));
  }

  @Test
  void aHandleServesOnlyItsOwnersTokens(Vertx vertx, VertxTestContext ctx) {
    storage.request(TransferApi.OPEN_READ, alice, openRead("/home/alice/notes.txt")).compose(opened -> {
      TransferRequests node = new TransferRequests(vertx, opened);
      return Future.all(failureOf(node.read(bob, 0, 5)), failureOf(node.read("garbage", 0, 5)), failureOf(node.read(null, 0, 5)),
        failureOf(node.read(alice, 0, 5)));
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertThat(all.list()).containsExactly(Failure.NO_PERMISSION, Failure.UNAUTHENTICATED, Failure.UNAUTHENTICATED, null);
      ctx.completeNow();
    })));
  }

  /** PROTOCOL.md s4: "the server's checksum is of the file as it was when the download began". */
  @Test
  void anOverwriteLeavesAnOpenReadOnTheOldContentAndChecksum(Vertx vertx, VertxTestContext ctx) {
    byte[] replacement = TransferFixture.randomBytes(300_000, 7);
    storage.request(TransferApi.OPEN_READ, alice, openRead("/home/alice/notes.txt")).compose(opened -> {
      TransferRequests reader = new TransferRequests(vertx, opened);
      return storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", "notes.txt", replacement, true))
        .compose(upload -> {
          TransferRequests writer = new TransferRequests(vertx, upload);
          return writeAll(writer, alice, replacement, 0, replacement.length, 64 * 1024).compose(stored -> writer.finish(alice));
        })
        .compose(published -> readAll(reader, alice, opened.getLong(TransferApi.SIZE), 8))
        .compose(oldBytes -> storage.request(StorageApi.CHECKSUM, alice, path("/home/alice/notes.txt")).map(now -> {
          ctx.verify(() -> {
            assertThat(opened.getString(TransferApi.SHA256)).isEqualTo(sha256(NOTES));
            assertThat(oldBytes).isEqualTo(NOTES);
            assertThat(now.getString(StorageApi.SHA256)).isEqualTo(sha256(replacement));
            assertThat(Files.readAllBytes(files.resolve("home/alice/notes.txt"))).isEqualTo(replacement);
          });
          return reader.close(alice);
        }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  /**
   * The digest stored at publish is what CHECKSUM answers while the file keeps its size, mtime
   * and inode (shown by planting another value in the sidecar); an edit from outside Ferry with a
   * new mtime is hashed again.
   */
  @Test
  void storedDigestsAreUsedUntilTheFileChanges(Vertx vertx, VertxTestContext ctx) throws Exception {
    byte[] content = TransferFixture.randomBytes(200_000, 11);
    Path published = files.resolve("home/alice/report.bin");
    String planted = "0".repeat(64);
    storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", "report.bin", content, false))
      .compose(opened -> {
        TransferRequests node = new TransferRequests(vertx, opened);
        return writeAll(node, alice, content, 0, content.length, 50_000).compose(stored -> node.finish(alice));
      })
      .compose(sha -> storage.request(StorageApi.CHECKSUM, alice, path("/home/alice/report.bin")).map(first -> {
        ctx.verify(() -> assertThat(first.getString(StorageApi.SHA256)).isEqualTo(sha256(content)).isEqualTo(sha));
        return first;
      }))
      .compose(first -> vertx.executeBlocking(() -> {
        Path sidecar = onlySidecar();
        Files.writeString(sidecar, new JsonObject(Files.readString(sidecar)).put("sha256", planted).encode());
        return null;
      }))
      .compose(v -> storage.request(StorageApi.CHECKSUM, alice, path("/home/alice/report.bin")))
      .compose(remembered -> vertx.executeBlocking(() -> {
        ctx.verify(() -> assertThat(remembered.getString(StorageApi.SHA256)).as("the stored digest is used").isEqualTo(planted));
        FileTime mtime = Files.getLastModifiedTime(published);
        Files.setLastModifiedTime(published, FileTime.fromMillis(mtime.toMillis() + 5_000));
        return null;
      }))
      .compose(v -> Future.all(storage.request(StorageApi.CHECKSUM, alice, path("/home/alice/report.bin")),
        storage.request(TransferApi.OPEN_READ, alice, openRead("/home/alice/report.bin"))))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(all.<JsonObject>resultAt(0).getString(StorageApi.SHA256)).as("re-hashed after the edit").isEqualTo(sha256(content));
        assertThat(all.<JsonObject>resultAt(1).getString(TransferApi.SHA256)).isEqualTo(sha256(content));
        ctx.completeNow();
      })));
  }

  @Test
  void aChecksumIsRememberedOutsideTheFilesTree(VertxTestContext ctx) {
    storage.request(StorageApi.CHECKSUM, alice, path("/home/alice/notes.txt"))
      .compose(first -> storage.request(StorageApi.CHECKSUM, alice, path("/home/alice/notes.txt")).map(second -> List.of(first, second)))
      .compose(both -> storage.request(StorageApi.LIST, alice, path("/home/alice")).map(listing -> {
        ctx.verify(() -> {
          assertThat(both.get(0)).isEqualTo(both.get(1));
          assertThat(both.get(1).getString(StorageApi.SHA256)).isEqualTo(sha256(NOTES));
          assertThat(onlySidecar()).exists();
          assertThat(listing.encode()).doesNotContain(".json");
        });
        return null;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  private Path onlySidecar() throws java.io.IOException {
    try (var sidecars = Files.list(data.resolve(StorageOptions.DIGESTS_DIR))) {
      List<Path> all = sidecars.filter(p -> p.toString().endsWith(".json")).toList();
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }
}
