package dev.ferry.server;

import dev.ferry.protocol.Header;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The limits that need a logged-in user or the ops port, on a real server over TLS. */
class ConnectionLimitsTest {

  private static final String PASSWORD = "limits-pass-1";

  @Test
  void aLoginOverTheAccountsSessionLimitIsAnsweredBusyAndTheOthersGoOn(@TempDir Path data) throws Exception {
    try (ServerFixture server = ServerFixture.start(data, new JsonObject().put("maxSessionsPerAccount", 2))) {
      server.addUser("alice", PASSWORD, 0);
      try (WireClient first = WireClient.login(server.port(), "alice", PASSWORD, "user");
           WireClient second = WireClient.login(server.port(), "alice", PASSWORD, "user");
           WireClient third = WireClient.connect(server.port())) {
        assertThat(third.call(new Header("alice", PASSWORD, "login", "user")).data()).isEqualTo("BUSY*SESSIONS");
        assertThat(third.call("pwd", "")).as("not logged in, still connected").isEqualTo("NOT_LOGGED_IN");
        assertThat(first.call("pwd", "")).isEqualTo("/home/alice");
        assertThat(second.call("pwd", "")).isEqualTo("/home/alice");
        try (WireClient bob = WireClient.login(server.port(), "admin", ServerFixture.ADMIN_PASSWORD, "admin")) {
          assertThat(bob.call("pwd", "")).as("another account").isEqualTo("/");
        }

        assertThat(first.call("logout", "")).isEqualTo("BYE");
        assertThat(third.call(new Header("alice", PASSWORD, "login", "user")).data()).startsWith("1*");
      }
    }
  }

  @Test
  void aGatewayAtItsLimitIsNotReadyUntilThereIsRoomAgain(@TempDir Path data) throws Exception {
    JsonObject settings = new JsonObject().put("maxConnections", 1);
    try (ServerFixture server = ServerFixture.start(data, settings)) {
      OpsEndpoint ops = OpsEndpoint.start(server.vertx, new JsonObject().put("httpHost", "127.0.0.1").put("httpPort", 0),
        OpsEndpoint.neededAddresses(server.server.services())).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      ops.saturation(server.server::saturated);
      try {
        assertThat(ready(ops)).isEqualTo(200);
        try (WireClient stranger = WireClient.connect(server.port());
             WireClient refused = WireClient.connect(server.port())) {
          assertThat(refused.greeting()).isEqualTo(new Header("", "", "error", "BUSY*CONNECTIONS"));
          assertThat(refused.closedByServer()).isTrue();
          HttpResponse<String> saturated = readyResponse(ops);
          assertThat(saturated.statusCode()).isEqualTo(503);
          assertThat(new JsonObject(saturated.body()).getJsonObject("checks").getString("gateway-load")).isEqualTo("SATURATED");
          assertThat(stranger.call("pwd", "")).isEqualTo("NOT_LOGGED_IN");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ready(ops) != 200 && System.nanoTime() < deadline) {
          // polled: the server notices the close in a moment
        }
        assertThat(ready(ops)).isEqualTo(200);
      } finally {
        ops.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aConnectionThatNeverCompletesItsTlsHandshakeIsClosed(@TempDir Path data) throws Exception {
    try (ServerFixture server = ServerFixture.start(data, new JsonObject().put("loginStallSeconds", 1));
         Socket silent = new Socket("127.0.0.1", server.port())) {
      silent.setSoTimeout(15_000);
      long start = System.nanoTime();
      assertThat(silent.getInputStream().read()).as("closed by the server").isEqualTo(-1);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
    }
  }

  /** A logged-in session that begins a header and stops holds frame memory: it is closed like a stalled chunk. */
  @Test
  void aLoggedInSessionThatStopsMidHeaderIsClosed(@TempDir Path data) throws Exception {
    try (ServerFixture server = ServerFixture.start(data, new JsonObject().put("frameStallSeconds", 1))) {
      server.addUser("alice", PASSWORD, 0);
      try (WireClient alice = WireClient.login(server.port(), "alice", PASSWORD, "user")) {
        alice.sendRaw(ByteBuffer.allocate(18).putInt(30_000).putInt(0).put("{\"cmd\":\"".getBytes(StandardCharsets.UTF_8)).array());
        assertThat(alice.closedByServer()).isTrue();
      }
    }
  }

  /** Strangers cannot take transfer memory: before login no frame may carry a payload. */
  @Test
  void payloadsAnnouncedBeforeLoginAreRefusedAndUploadsGoOn(@TempDir Path data) throws Exception {
    try (ServerFixture server = ServerFixture.start(data, new JsonObject())) {
      server.addUser("alice", PASSWORD, 0);
      byte[] announce = chunkHead(new Header("", "", "uploading", "0"), WireTransfers.CHUNK, 1);
      List<WireClient> strangers = new ArrayList<>();
      try (WireClient alice = WireClient.login(server.port(), "alice", PASSWORD, "user")) {
        for (int i = 0; i < 20; i++) {
          WireClient stranger = WireClient.connect(server.port());
          strangers.add(stranger);
          stranger.sendRaw(announce);
        }
        byte[] content = WireTransfers.random(2 << 20, 7);
        long start = System.nanoTime();
        assertThat(WireTransfers.upload(alice, WireTransfers.uploadData("", "two.bin", content, false), content))
          .isEqualTo("SUCCESS*" + WireTransfers.sha256(content));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("upload of 2 MiB, in ms")
          .isLessThan(5_000);
        for (WireClient stranger : strangers) {
          assertThat(stranger.next()).isEqualTo(new Header("", "", "error", "BAD_FRAME*UNEXPECTED_PAYLOAD"));
          assertThat(stranger.closedByServer()).isTrue();
        }
        // Logged in, but with no upload opened: no payload either.
        try (WireClient browsing = WireClient.login(server.port(), "alice", PASSWORD, "user")) {
          browsing.sendRaw(announce);
          assertThat(browsing.next().data()).isEqualTo("BAD_FRAME*UNEXPECTED_PAYLOAD");
        }
      } finally {
        for (WireClient stranger : strangers) {
          stranger.close();
        }
      }
    }
  }

  /** A frame's lengths and header announcing {@code payload} bytes, and the first {@code sent} of them. */
  private static byte[] chunkHead(Header header, int payload, int sent) {
    byte[] json = header.toJson().encode().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + json.length + sent).putInt(json.length).putInt(payload).put(json).array();
  }

  private static int ready(OpsEndpoint ops) throws Exception {
    return readyResponse(ops).statusCode();
  }

  private static HttpResponse<String> readyResponse(OpsEndpoint ops) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.actualPort() + "/health/ready")).build(),
      HttpResponse.BodyHandlers.ofString());
  }
}
