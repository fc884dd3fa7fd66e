package dev.ferry.server;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static dev.ferry.server.WireTransfers.CHUNK;
import static dev.ferry.server.WireTransfers.random;
import static dev.ferry.server.WireTransfers.sha256;
import static dev.ferry.server.WireTransfers.uploadData;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 64 MiB up and down through one TLS session on loopback, client and server on the same two
 * cores. It prints the rates for the record (a cold JVM: the JIT has not warmed up yet, and a
 * warm one moves several times more); it asserts only that the bytes are right. Once with each
 * TLS engine: OpenSSL, the default, and the JDK's, which it falls back to.
 */
class TransferThroughputTest {

  private static final int SIZE = 64 * CHUNK;

  @TempDir
  Path data;

  @ParameterizedTest
  @ValueSource(strings = {"openssl", "jdk"})
  void sixtyFourMebibytesUpAndDown(String engine) throws Exception {
    byte[] content = random(SIZE, 64);
    try (ServerFixture fixture = ServerFixture.start(data, new JsonObject().put("tlsEngine", engine))) {
      fixture.addUser("alice", "alice-pass-1", 0);
      try (WireClient client = WireClient.login(fixture.port(), "alice", "alice-pass-1", "user")) {
        String upload = uploadData("", "big.bin", content, false);
        long upStart = System.nanoTime();
        String end = WireTransfers.upload(client, upload, content);
        long upNanos = System.nanoTime() - upStart;
        assertThat(end).isEqualTo("SUCCESS*" + sha256(content));
        long downStart = System.nanoTime();
        WireTransfers.Downloaded down = WireTransfers.download(client, "big.bin", 0);
        long downNanos = System.nanoTime() - downStart;
        assertThat(down.bytes()).isEqualTo(content);
        assertThat(Files.size(fixture.home("alice").resolve("big.bin"))).isEqualTo(SIZE);
        System.out.println(String.format(Locale.ROOT, "ferry throughput, 64 MiB over TLS (%s) on loopback: up %.0f MB/s, down %.0f MB/s",
          engine, SIZE / (upNanos / 1e9) / 1e6, SIZE / (downNanos / 1e9) / 1e6));
      }
    }
  }
}
