package dev.ferry.gateway;

import dev.ferry.protocol.Frame;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.StorageApi;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A storage node that is gone in the middle of a transfer (PROTOCOL.md s4, s5): the gateway on
 * a real bus, with stand-ins for auth (a login that succeeds) and storage (opens that name a
 * node address nobody serves, as after that node died).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class TransferStorageFailureTest {

  private static final String GONE_NODE = Addresses.STORAGE_NODE_PREFIX + "gone";
  private static final String SHA = "0".repeat(64);
  private int port;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext test) {
    vertx.eventBus().<JsonObject>consumer(Addresses.AUTH, message -> message.reply(new JsonObject()
      .put(AuthApi.CODE, "1").put(AuthApi.ACCOUNT, "alice").put(AuthApi.ROLE, "user").put(AuthApi.TOKEN, "token")));
    vertx.eventBus().<JsonObject>consumer(Addresses.STORAGE, this::storage);
    GatewayVerticle gateway = new GatewayVerticle();
    JsonObject config = new JsonObject().put("port", 0).put("tls", false).put("maxPayload", 1024).put("window", 4096);
    vertx.deployVerticle(gateway, new DeploymentOptions().setConfig(config))
      .onComplete(test.succeeding(id -> {
        port = gateway.actualPort();
        test.completeNow();
      }));
  }

  private void storage(Message<JsonObject> message) {
    JsonObject opened = new JsonObject().put(TransferApi.NODE, GONE_NODE).put(TransferApi.HANDLE, "h1");
    switch (message.headers().get(BusService.ACTION_HEADER)) {
      case StorageApi.LIST -> message.reply(new JsonObject().put(StorageApi.ENTRIES, new JsonArray()));
      case TransferApi.OPEN_READ -> message.reply(opened.put(TransferApi.SIZE, 10_000L).put(TransferApi.SHA256, SHA));
      case TransferApi.OPEN_WRITE -> message.reply(opened.put(TransferApi.OFFSET, 0L).put(TransferApi.REPLACING, 0L));
      default -> message.fail(500, "not in this test");
    }
  }

  private Future<RawClient> loggedIn(Vertx vertx) {
    return RawClient.greeted(vertx, port).compose(client -> client.call(new Header("alice", "pw", "login", "user")).map(client));
  }

  /** "Storage failure mid-transfer -> download: download ABORTED*<acked>". */
  @Test
  void aDownloadWhoseNodeIsGoneIsAborted(Vertx vertx, VertxTestContext test) {
    loggedIn(vertx).compose(client -> client.call("download", "/home/alice/a.bin")
        .compose(announced -> client.call("download_RES", "READY*0").map(end -> new Header[] {announced, end}))
        .compose(replies -> client.call("pwd", "").map(pwd -> new Header[] {replies[0], replies[1], pwd})))
      .onComplete(test.succeeding(replies -> test.verify(() -> {
        assertThat(replies[0].data()).isEqualTo("10000*" + SHA);
        assertThat(replies[1]).isEqualTo(new Header("alice", "", "download", "ABORTED*0"));
        assertThat(replies[2].data()).as("the session goes on").isEqualTo("/home/alice");
        test.completeNow();
      })));
  }

  /** "Storage failure mid-transfer -> upload: uploading FAILE*<stored>*ERROR". */
  @Test
  void anUploadWhoseNodeIsGoneFails(Vertx vertx, VertxTestContext test) {
    Buffer chunk = Frame.encode(new Header("", "", "uploading", "0"), Buffer.buffer(new byte[1000]));
    loggedIn(vertx).compose(client -> client.call("upload", "/home/alice*a.bin*3000")
        .compose(ready -> client.send(chunk).compose(v -> client.next()).map(end -> new Header[] {ready, end}))
        .compose(replies -> client.call("pwd", "").map(pwd -> new Header[] {replies[0], replies[1], pwd})))
      .onComplete(test.succeeding(replies -> test.verify(() -> {
        assertThat(replies[0].data()).isEqualTo("READY*0");
        assertThat(replies[1]).isEqualTo(new Header("alice", "", "uploading", "FAILE*0*ERROR"));
        assertThat(replies[2].data()).isEqualTo("/home/alice");
        test.completeNow();
      })));
  }
}
