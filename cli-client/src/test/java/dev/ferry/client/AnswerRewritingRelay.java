package dev.ferry.client;

import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.FrameDecoder;
import dev.ferry.protocol.Header;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A relay in front of a plain-TCP server that replaces chosen answers of the server: an upload
 * refused or stopped for quota at a moment the test picks. What clients send passes untouched;
 * the {@code cmd} of each of their frames is recorded, so a test can see what was (not) sent again.
 */
final class AnswerRewritingRelay {

  private final NetServer server;
  private final NetClient client;
  private final int targetPort;
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private volatile UnaryOperator<Header> rewrite = UnaryOperator.identity();

  private AnswerRewritingRelay(Vertx vertx, int targetPort) {
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(this::relay);
  }

  static Future<AnswerRewritingRelay> start(Vertx vertx, int targetPort) {
    AnswerRewritingRelay relay = new AnswerRewritingRelay(vertx, targetPort);
    return relay.server.listen(0, "127.0.0.1").map(s -> relay);
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

  void clear() {
    sent.clear();
    rewrite = UnaryOperator.identity();
  }

  Future<Void> close() {
    return server.close().compose(v -> client.close());
  }

  private void relay(NetSocket from) {
    from.pause();
    client.connect(targetPort, "127.0.0.1").onComplete(connected -> {
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
