package dev.ferry.client;

import dev.ferry.client.transfer.PartFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.ferry.client.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5: the storage node holding a transfer dies in the middle of it. The gateway ends the
 * transfer with the protocol's failure answer (a download's {@code ABORTED*<n>} the client did
 * not ask for, an upload's {@code FAILE*<stored>*ERROR}) and the CLI tries again on the same
 * connection, reaching the storage service that is left, and resumes. The relay in front of the
 * server holds the transfer still while the node is replaced, so that it surely runs then.
 */
class StorageNodeLossTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withAliceAndReplaceableStorage("500M");
  @RegisterExtension
  static final CuttingProxy proxy = CuttingProxy.inFrontOf(server);

  /** Far more than the gateway's window (8 MiB) beyond the hold: the gateway cannot have read it all before. */
  private static final long SIZE = 32L * MIB + 3;
  private static final long HOLD_AT = 3L * MIB;

  @TempDir
  Path config;
  @TempDir
  Path work;

  private Map<String, String> env() {
    return Cli.env(config, Cli.ALICE_PASSWORD);
  }

  private String direct() {
    return "alice@127.0.0.1:" + server.port();
  }

  private String throughProxy() {
    return "alice@127.0.0.1:" + proxy.port();
  }

  private Cli.Result ok(String... args) {
    return Cli.ok(env(), args);
  }

  @Test
  void aDownloadWhoseStorageNodeDiesResumesThroughAnother() throws Exception {
    Path source = TestFiles.random(work.resolve("src/node-down.bin"), SIZE, 51);
    ok("put", "-q", source.toString(), direct());
    Path local = work.resolve("node-down.bin");
    int before = proxy.holds();
    proxy.holdOnce(CuttingProxy.Direction.TO_CLIENT, HOLD_AT, server::replaceStorage);

    Cli.Result r = ok("get", throughProxy() + ":node-down.bin", local.toString());
    assertThat(proxy.holds()).isEqualTo(before + 1);
    assertThat(r.err()).containsPattern("(?m)^node-down\\.bin: the server failed the transfer \\(download ABORTED\\*\\d+\\);"
      + " resuming in 0\\.5 s \\(try 1 of 5\\)$");
    assertThat(r.err()).doesNotContain("reconnecting");
    assertThat(local).hasSameBinaryContentAs(source);
    assertThat(new PartFile(local).path()).doesNotExist();
  }

  @Test
  void anUploadWhoseStorageNodeDiesResumesThroughAnother() throws Exception {
    Path source = TestFiles.random(work.resolve("node-up.bin"), SIZE, 52);
    int before = proxy.holds();
    proxy.holdOnce(CuttingProxy.Direction.TO_SERVER, HOLD_AT, server::replaceStorage);

    Cli.Result r = ok("put", source.toString(), throughProxy() + ":/home/alice");
    assertThat(proxy.holds()).isEqualTo(before + 1);
    assertThat(r.err()).containsPattern("(?m)^node-up\\.bin: the server failed the transfer \\(uploading FAILE\\*\\d+\\*ERROR\\);"
      + " resuming in 0\\.5 s \\(try 1 of 5\\)$");
    assertThat(r.err()).doesNotContain("reconnecting");
    assertThat(ok("checksum", direct() + ":node-up.bin").out()).startsWith(TestFiles.sha256(source));
  }
}
