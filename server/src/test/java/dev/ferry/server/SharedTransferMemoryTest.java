package dev.ferry.server;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.ferry.server.WireTransfers.CHUNK;
import static dev.ferry.server.WireTransfers.random;
import static dev.ferry.server.WireTransfers.sha256;
import static dev.ferry.server.WireTransfers.uploadData;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many clients uploading 1 MiB chunks at once through a gateway whose transfer memory holds two
 * of them: the chunks being received wait their turn for memory (rather than each connection
 * holding a max payload of heap), and every upload and download still completes, byte for byte.
 */
class SharedTransferMemoryTest {

  private static final int CLIENTS = 12;
  private static final int SIZE = 4 * CHUNK + 123;

  @TempDir
  Path data;

  @Test
  void manyUploadsThroughTwoChunksOfMemoryAllComplete() throws Exception {
    try (ServerFixture fixture = ServerFixture.start(data, new JsonObject().put("transferMemory", 2 * CHUNK))) {
      fixture.addUser("alice", "alice-pass-1", 0);
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<Future<byte[]>> done = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          String name = "f" + i + ".bin";
          byte[] content = random(SIZE, i);
          done.add(pool.submit(() -> {
            try (WireClient client = WireClient.login(fixture.port(), "alice", "alice-pass-1", "user")) {
              assertThat(WireTransfers.upload(client, uploadData("", name, content, false), content))
                .isEqualTo("SUCCESS*" + sha256(content));
              return WireTransfers.download(client, name, 0).bytes();
            }
          }));
        }
        for (int i = 0; i < CLIENTS; i++) {
          byte[] expected = random(SIZE, i);
          assertThat(done.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(expected);
          assertThat(Files.readAllBytes(fixture.home("alice").resolve("f" + i + ".bin"))).isEqualTo(expected);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
