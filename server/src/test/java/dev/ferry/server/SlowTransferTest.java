package dev.ferry.server;

import dev.ferry.protocol.Header;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.ferry.server.WireTransfers.random;
import static dev.ferry.server.WireTransfers.sha256;
import static dev.ferry.server.WireTransfers.uploadData;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transfer may outlive the session token it started with (a 10 GB upload on a slow link): the
 * gateway renews the token while the transfer runs, and storage and quota accept the renewed one.
 * Here tokens live 6 s and a slow client takes 8 s.
 */
class SlowTransferTest {

  @TempDir
  static Path data;
  static ServerFixture server;

  @BeforeAll
  static void start() throws Exception {
    server = ServerFixture.start(data, new JsonObject().put("tokenTtlSeconds", 6));
    server.addUser("slow", "slow-pass-1", 0);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void anUploadLongerThanTheTokenLifetimeSucceeds() throws Exception {
    byte[] content = random(8 * 1024, 31);
    try (WireClient client = WireClient.login(server.port(), "slow", "slow-pass-1", "user")) {
      assertThat(WireTransfers.ready(client, uploadData("", "slow.bin", content, false))).isZero();
      for (int offset = 0; offset < content.length; offset += 1024) {
        client.send(new Header("", "", "uploading", Integer.toString(offset)), content, offset, 1024);
        Thread.sleep(1000); // a slow link: the upload takes longer than a token lives
      }
      String end = WireTransfers.send(client, content, content.length, content.length).end();
      assertThat(end).isEqualTo("SUCCESS*" + sha256(content));
    }
    assertThat(Files.readAllBytes(server.home("slow").resolve("slow.bin"))).isEqualTo(content);
  }
}
