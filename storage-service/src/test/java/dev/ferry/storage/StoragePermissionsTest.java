package dev.ferry.storage;

import dev.ferry.protocol.bus.StorageApi;
import dev.ferry.protocol.bus.TransferApi;
import dev.ferry.protocol.store.PrivateFiles;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;

import static dev.ferry.storage.TransferFixture.openRead;
import static dev.ferry.storage.TransferFixture.openWrite;
import static dev.ferry.storage.TransferFixture.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

/** What storage creates on disk is private to the server's user (0700 directories, 0600 files). */
class StoragePermissionsTest extends DeployedStorage {

  private static final byte[] CONTENT = randomBytes(10_000, 7);

  private static Set<PosixFilePermission> mode(Path path) throws IOException {
    return Files.getPosixFilePermissions(path);
  }

  private static Stream<Path> list(Path dir) throws IOException {
    return Files.list(dir).toList().stream();
  }

  @Test
  void layoutPartialsPublishedFilesDigestsAndNewDirectoriesArePrivate(Vertx vertx, VertxTestContext ctx) {
    storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice/sub", "private.bin", CONTENT, false))
      .compose(opened -> {
        TransferRequests node = new TransferRequests(vertx, opened);
        return node.write(alice, 0, Buffer.buffer(CONTENT).slice(0, 4096).copy(), true).map(stored -> {
          ctx.verify(() -> {
            // The partial's data and metadata, while the upload runs.
            assertThat(list(data.resolve(StorageOptions.PARTIAL_DIR)).toList()).hasSize(2)
              .allSatisfy(file -> assertThat(mode(file)).as(file.getFileName().toString()).isEqualTo(PrivateFiles.FILE));
          });
          return node;
        }).compose(same -> same.write(alice, 4096, Buffer.buffer(CONTENT).slice(4096, CONTENT.length).copy(), true)
          .compose(stored -> same.finish(alice)));
      })
      .compose(sha -> storage.request(StorageApi.MKDIR, alice, path("/home/alice/sub/made")))
      .compose(made -> storage.request(TransferApi.OPEN_READ, alice, openRead("/home/alice/sub/private.bin"))
        .compose(opened -> new TransferRequests(vertx, opened).close(alice)))
      .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertThat(mode(data.resolve(StorageOptions.PARTIAL_DIR))).isEqualTo(PrivateFiles.DIRECTORY);
        assertThat(mode(data.resolve(StorageOptions.DIGESTS_DIR))).isEqualTo(PrivateFiles.DIRECTORY);
        assertThat(mode(files.resolve("home/alice/sub/private.bin"))).isEqualTo(PrivateFiles.FILE);
        assertThat(mode(files.resolve("home/alice/sub/made"))).isEqualTo(PrivateFiles.DIRECTORY);
        assertThat(list(data.resolve(StorageOptions.DIGESTS_DIR)).toList()).isNotEmpty()
          .allSatisfy(file -> assertThat(mode(file)).isEqualTo(PrivateFiles.FILE));
        ctx.completeNow();
      })));
  }
}
