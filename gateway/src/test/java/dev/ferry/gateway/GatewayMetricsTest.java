package dev.ferry.gateway;

import dev.ferry.gateway.GatewayMetrics.Outcome;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.Role;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's meters through a registry added to the global one, as the launcher adds its
 * Prometheus registry. Transfers are driven by a scripted {@link Transfer} that sends what a real
 * one sends; the real ones are counted end to end in the server's OpsEndpointTest.
 */
class GatewayMetricsTest {

  private SimpleMeterRegistry registry;

  @BeforeEach
  void addRegistry() {
    registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
  }

  @AfterEach
  void removeRegistry() {
    Metrics.removeRegistry(registry);
    registry.close();
  }

  @Test
  void sessionsOpenCountsLoggedInSessionsOnceUntilTheyLogOutOrClose() {
    double before = sessionsOpen();
    Session first = new Session();
    first.login("alice", Role.USER, "t", 0);
    first.login("alice", Role.USER, "t2", 1); // a second login on a logged-in session is still one session
    Session second = new Session();
    second.login("bob", Role.USER, "t", 0);
    assertThat(sessionsOpen()).isEqualTo(before + 2);
    first.logout();
    first.logout();
    assertThat(sessionsOpen()).isEqualTo(before + 1);
    second.close();
    first.close();
    assertThat(sessionsOpen()).isEqualTo(before);
  }

  @Test
  void loginsAreCountedByResult() {
    GatewayMetrics.login(Replies.LOGIN_OK);
    GatewayMetrics.login(Replies.LOGIN_OK);
    GatewayMetrics.login(Replies.LOGIN_BAD_CREDENTIALS);
    GatewayMetrics.login(Replies.LOGIN_NO_SUCH_ACCOUNT);
    GatewayMetrics.login(Replies.LOGIN_LOCKED);
    GatewayMetrics.login("BUSY*HASHING");
    GatewayMetrics.login("BUSY*RATE_LIMITED");
    GatewayMetrics.login("BUSY*RATE_LIMITED");
    GatewayMetrics.login("BUSY*UNAVAILABLE");
    GatewayMetrics.login("7"); // not a login answer: ignored
    assertThat(logins("ok")).isEqualTo(2);
    assertThat(logins("bad_credentials")).isEqualTo(1);
    assertThat(logins("no_such_account")).isEqualTo(1);
    assertThat(logins("locked")).isEqualTo(1);
    assertThat(logins("busy_hashing")).isEqualTo(1);
    assertThat(logins("rate_limited")).isEqualTo(2);
    assertThat(logins("unavailable")).isEqualTo(1);
  }

  @Test
  void uploadOutcomesComeFromTheLastAnswer() {
    assertThat(MeteredTransfer.uploadOutcome("SUCCESS*" + "ab".repeat(32))).isEqualTo(Outcome.SUCCESS);
    assertThat(MeteredTransfer.uploadOutcome("FAILE*0*CHECKSUM_MISMATCH")).isEqualTo(Outcome.CHECKSUM_MISMATCH);
    assertThat(MeteredTransfer.uploadOutcome("FAILE*4096*QUOTA_EXCEEDED")).isEqualTo(Outcome.QUOTA_EXCEEDED);
    assertThat(MeteredTransfer.uploadOutcome("FAILE*4096*ABORTED")).isEqualTo(Outcome.ABORTED);
    assertThat(MeteredTransfer.uploadOutcome("FAILE*4096*BAD_OFFSET")).isEqualTo(Outcome.FAILED);
    assertThat(MeteredTransfer.uploadOutcome("FAILE*4096*ERROR")).isEqualTo(Outcome.FAILED);
  }

  @Test
  void aDownloadAbortedIsTheClientsDoingOnlyAfterItsNotReady() {
    assertThat(MeteredTransfer.downloadOutcome("SUCCESS", false)).isEqualTo(Outcome.SUCCESS);
    assertThat(MeteredTransfer.downloadOutcome("ABORTED*100", true)).isEqualTo(Outcome.ABORTED);
    assertThat(MeteredTransfer.downloadOutcome("ABORTED*100", false)).isEqualTo(Outcome.FAILED); // a failed read
    assertThat(MeteredTransfer.downloadOutcome("BAD_OFFSET", false)).isEqualTo(Outcome.FAILED);
  }

  @Test
  void anUploadCountsTheBytesItReceivesAndEndsOnce() {
    ScriptedTransfer upload = new ScriptedTransfer(Command.UPLOADING);
    Transfer metered = GatewayMetrics.metered(upload);
    RecordingLink link = new RecordingLink();
    metered.begin(link);
    metered.onFrame(chunk("uploading", "0", 300));
    metered.onFrame(chunk("uploading", "300", 200));
    upload.link.send("uploading", "ACK*500");
    upload.link.send("uploading", "SUCCESS*" + "ab".repeat(32));
    metered.end();
    assertThat(link.sent).containsExactly("uploading ACK*500", "uploading SUCCESS*" + "ab".repeat(32));
    assertThat(bytes("upload")).isEqualTo(500);
    assertThat(transfers("upload", "success")).isEqualTo(1);
    assertThat(transfers("upload", "aborted")).isZero();
    assertThat(registry.get("ferry.transfer.duration").tag("direction", "upload").timer().count()).isEqualTo(1);
  }

  @Test
  void aDownloadCountsTheBytesItSendsAndThePauseTheClientAskedFor() {
    ScriptedTransfer download = new ScriptedTransfer(Command.DOWNLOAD_RES);
    Transfer metered = GatewayMetrics.metered(download);
    metered.begin(new RecordingLink());
    metered.onFrame(chunk("download_RES", "READY*0", 0));
    download.link.send("download_ing", "0", Buffer.buffer(new byte[1000]));
    metered.onFrame(chunk("download_RES", "NOT_READY*1000", 0));
    download.link.send("download", "ABORTED*1000");
    assertThat(bytes("download")).isEqualTo(1000);
    assertThat(transfers("download", "aborted")).isEqualTo(1);
    assertThat(transfers("download", "failed")).isZero();
    // Only storage checks checksums and quota, and only of uploads: no such download series.
    assertThat(registry.find("ferry.transfers").tag("direction", "download").tag("result", "checksum_mismatch").counter()).isNull();
    assertThat(registry.find("ferry.transfers").tag("direction", "upload").tag("result", "checksum_mismatch").counter()).isNotNull();
  }

  @Test
  void aTransferCutShortIsAbortedAndOneThatNeverBeganIsNotCounted() {
    Transfer cut = GatewayMetrics.metered(new ScriptedTransfer(Command.UPLOADING));
    cut.begin(new RecordingLink());
    cut.end();
    cut.end();
    Transfer unstarted = GatewayMetrics.metered(new ScriptedTransfer(Command.DOWNLOAD_RES));
    unstarted.end();
    assertThat(transfers("upload", "aborted")).isEqualTo(1);
    assertThat(transfers("download", "aborted")).isZero();
  }

  private double sessionsOpen() {
    return registry.get("ferry.sessions.open").gauge().value();
  }

  private double logins(String result) {
    return registry.get("ferry.logins").tag("result", result).counter().count();
  }

  private double bytes(String direction) {
    return registry.get("ferry.transfer.bytes").tag("direction", direction).counter().count();
  }

  private double transfers(String direction, String result) {
    return registry.get("ferry.transfers").tag("direction", direction).tag("result", result).counter().count();
  }

  private static Frame chunk(String cmd, String data, int length) {
    return new Frame(new Header("", "", cmd, data), Buffer.buffer(new byte[length]));
  }

  /** A transfer that does nothing by itself: the test sends its answers through the link it was given. */
  private static final class ScriptedTransfer implements Transfer {
    private final Command frames;
    private ClientLink link;
    private boolean over;

    ScriptedTransfer(Command frames) {
      this.frames = frames;
    }

    @Override
    public Command frames() {
      return frames;
    }

    @Override
    public void begin(ClientLink link) {
      this.link = link;
    }

    @Override
    public void onFrame(Frame frame) {
    }

    @Override
    public Future<Void> end() {
      over = true;
      return Future.succeededFuture();
    }

    @Override
    public boolean isOver() {
      return over;
    }
  }

  /** The connection side: records the frames sent, as {@code "<cmd> <data>"}. */
  private static final class RecordingLink implements ClientLink {
    final List<String> sent = new ArrayList<>();

    @Override
    public Future<Void> send(String cmd, String data) {
      sent.add(cmd + " " + data);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> send(String cmd, String data, Buffer payload) {
      sent.add(cmd + " " + data);
      return Future.succeededFuture();
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public void drainHandler(Handler<Void> handler) {
    }

    @Override
    public void holdInput(boolean hold) {
    }

    @Override
    public void touched() {
    }
  }
}
