package dev.ferry.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.ferry.server.WireTransfers.CHUNK;
import static dev.ferry.server.WireTransfers.random;
import static dev.ferry.server.WireTransfers.sha256;
import static dev.ferry.server.WireTransfers.uploadData;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PROTOCOL.md s5: a partial upload is resumable after "a server restart in between", and an
 * ACK is durable. The server is a real process killed with SIGKILL mid-upload and started again
 * on the same data directory.
 */
class UploadAfterCrashTest {

  private static final String ADMIN_PASSWORD = "crash-admin-1";

  @TempDir
  Path work;

  @Test
  void anUploadResumesAfterTheServerWasKilled() throws Exception {
    Path data = work.resolve("data");
    Map<String, String> env = Map.of("FERRY_PORT", "0", "FERRY_DATA", data.toString(), "FERRY_ADMIN_PASSWORD", ADMIN_PASSWORD,
      "FERRY_PBKDF2_ITERATIONS", "10000");
    byte[] content = random(20 * CHUNK + 99, 21);
    String upload = uploadData("", "survivor.bin", content, false);
    long acked;
    long sent;
    try (ServerProcess server = ServerProcess.start(work, env)) {
      try (WireClient admin = WireClient.login(server.port, "admin", ADMIN_PASSWORD, "admin")) {
        assertThat(admin.call("useradd", "alice*alice-pass-1*user*0")).isEqualTo("OK");
      }
      WireClient client = WireClient.login(server.port, "alice", "alice-pass-1", "user");
      assertThat(WireTransfers.ready(client, upload)).isZero();
      sent = WireTransfers.send(client, content, 0, 12 * CHUNK).sent();
      acked = WireTransfers.awaitAck(client, 6 * CHUNK);
      server.process.destroyForcibly(); // SIGKILL: no shutdown hook, no close of any handle
      assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      client.close();
    }
    assertThat(Files.exists(data.resolve("files/home/alice/survivor.bin"))).isFalse();
    try (ServerProcess server = ServerProcess.start(work, env);
         WireClient client = WireClient.login(server.port, "alice", "alice-pass-1", "user")) {
      // Usage is counted afresh at start: the partial left by the crash counts, as a recount finds.
      long afterRestart = usedOf(server, "alice");
      assertThat(afterRestart).isGreaterThanOrEqualTo(acked).isEqualTo(recountOf(server, "alice"));
      long offset = WireTransfers.ready(client, upload);
      // Every acknowledged byte survived; nothing is claimed that was never sent.
      assertThat(offset).isBetween(acked, sent);
      assertThat(WireTransfers.send(client, content, offset, content.length).end()).isEqualTo("SUCCESS*" + sha256(content));
      assertThat(Files.readAllBytes(data.resolve("files/home/alice/survivor.bin"))).isEqualTo(content);
      assertThat(usedOf(server, "alice")).isEqualTo(content.length).isEqualTo(recountOf(server, "alice"));
      server.terminate();
    }
  }

  private static long usedOf(ServerProcess server, String account) throws Exception {
    return adminAsks(server, "quota", account);
  }

  private static long recountOf(ServerProcess server, String account) throws Exception {
    return adminAsks(server, "recount", account);
  }

  private static long adminAsks(ServerProcess server, String cmd, String account) throws Exception {
    try (WireClient admin = WireClient.login(server.port, "admin", ADMIN_PASSWORD, "admin")) {
      return Long.parseLong(admin.call(cmd, account).split("\\*")[0]);
    }
  }
}
