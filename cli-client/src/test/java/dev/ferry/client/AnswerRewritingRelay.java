package dev.ferry.client;

import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.FrameDecoder;
import dev.ferry.protocol.Header;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A relay in front of a plain-TCP server that replaces chosen answers of the server: an upload
 * refused or stopped for quota, a busy server, at a moment the test picks. What clients send
 * passes untouched; the {@code cmd} of each of their frames is recorded, so a test can see what
 * was (not) sent again. A test class registers it after its {@link RunningServer}: it starts
 * once for the class, and forgets its rewrite and what was sent before each test.
 */
final class AnswerRewritingRelay implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

  private final RunningServer target;
  private NetServer server;
  private NetClient client;
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private volatile UnaryOperator<Header> rewrite = UnaryOperator.identity();

  private AnswerRewritingRelay(RunningServer target) {
    this.target = target;
  }

  /** A relay in front of {@code target}, which must be registered before it. */
  static AnswerRewritingRelay inFrontOf(RunningServer target) {
    return new AnswerRewritingRelay(target);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Vertx vertx = target.vertx();
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(this::relay);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    clear();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    server.close().compose(v -> client.close()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  /** Every server frame from now on goes to the client as {@code rewrite} makes it. */
  void rewrite(UnaryOperator<Header> rewrite) {
    this.rewrite = rewrite;
  }

  /** The {@code cmd} of every frame clients sent, in order; {@code uploading} chunks left out. */
  List<String> sent() {
    return List.copyOf(sent);
  }

  private void clear() {
    sent.clear();
    rewrite = UnaryOperator.identity();
  }

  private void relay(NetSocket from) {
    from.pause();
    client.connect(target.port(), "127.0.0.1").onComplete(connected -> {
      if (connected.failed()) {
        from.close();
        return;
      }
      NetSocket to = connected.result();
      FrameDecoder fromClient = FrameDecoder.create(Frame.MAX_PAYLOAD_CEILING, Command::clientPayloadAllowed)
        .frameHandler(frame -> {
          if (!frame.header().cmd().equals(Command.UPLOADING.wire())) {
            sent.add(frame.header().cmd());
          }
        });
      from.handler(bytes -> {
        fromClient.handle(bytes);
        to.write(bytes);
      });
      FrameDecoder.over(to, Frame.MAX_PAYLOAD_CEILING, Command::serverPayloadAllowed)
        .frameHandler(frame -> from.write(Frame.encode(rewrite.apply(frame.header()), frame.payload())));
      from.closeHandler(v -> to.close());
      to.closeHandler(v -> from.close());
      from.resume();
    });
  }
}
