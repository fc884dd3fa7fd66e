package dev.ferry.server;

import dev.ferry.protocol.Header;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.ferry.server.WireTransfers.CHUNK;
import static dev.ferry.server.WireTransfers.random;
import static dev.ferry.server.WireTransfers.sha256;
import static dev.ferry.server.WireTransfers.uploadData;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that announce an upload chunk and stop sending it hold the gateway's transfer memory
 * (here all of it: two chunks). After {@code frameStallSeconds} without a byte of it their
 * connections are closed, which gives the memory back: an upload waiting for it completes, and
 * the stalled uploads can be resumed.
 */
class StalledChunkTest {

  @TempDir
  Path data;

  @Test
  void connectionsStalledMidChunkAreClosedAndTheMemoryTheyHeldServesOthers() throws Exception {
    JsonObject config = new JsonObject().put("transferMemory", 2 * CHUNK).put("frameStallSeconds", 1);
    try (ServerFixture fixture = ServerFixture.start(data, config)) {
      fixture.addUser("alice", "alice-pass-1", 0);
      List<WireClient> stalled = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          WireClient client = WireClient.login(fixture.port(), "alice", "alice-pass-1", "user");
          stalled.add(client);
          byte[] content = random(CHUNK, 100 + i);
          assertThat(WireTransfers.ready(client, uploadData("", "stalled" + i + ".bin", content, false))).isZero();
          client.sendRaw(beginning(new Header("", "", "uploading", "0"), content, 1000));
        }
        byte[] content = random(2 * CHUNK + 1, 7);
        try (WireClient honest = WireClient.login(fixture.port(), "alice", "alice-pass-1", "user")) {
          assertThat(WireTransfers.upload(honest, uploadData("", "honest.bin", content, false), content))
            .isEqualTo("SUCCESS*" + sha256(content));
        }
        assertThat(Files.readAllBytes(fixture.home("alice").resolve("honest.bin"))).isEqualTo(content);
        for (WireClient client : stalled) {
          // Within the client's 30 s read timeout, which would fail this instead.
          assertThat(client.closedByServer()).as("closed by the server").isTrue();
        }
      } finally {
        for (WireClient client : stalled) {
          client.close();
        }
      }
      try (WireClient again = WireClient.login(fixture.port(), "alice", "alice-pass-1", "user")) {
        byte[] content = random(CHUNK, 100);
        assertThat(WireTransfers.upload(again, uploadData("", "stalled0.bin", content, false), content))
          .isEqualTo("SUCCESS*" + sha256(content));
      }
    }
  }

  /** A frame announcing all of {@code content} as its payload, with only its first {@code sent} bytes. */
  private static byte[] beginning(Header header, byte[] content, int sent) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    byte[] json = header.toJson().encode().getBytes(StandardCharsets.UTF_8);
    out.writeInt(json.length);
    out.writeInt(content.length);
    out.write(json);
    out.write(content, 0, sent);
    return bytes.toByteArray();
  }
}
