package dev.ferry.gateway;

import dev.ferry.protocol.BadFrameException;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.FrameDecoder;
import dev.ferry.protocol.Header;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A client that writes whatever bytes a test hands it (hostile ones included) and reads the
 * server's frames with the protocol's own decoder. Used from the event loop only.
 */
final class RawClient {

  /** Held so the client is not collected (Vert.x shuts down a client nobody holds) while its socket is in use. */
  private final NetClient client;
  private final NetSocket socket;
  private final Deque<Header> received = new ArrayDeque<>();
  private final Deque<Promise<Header>> waiting = new ArrayDeque<>();
  private final Promise<Void> closed = Promise.promise();

  private RawClient(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
    // Vert.x 5 closes its clients gracefully when it closes, waiting up to 30 s for their
    // connections to end: a test client has nothing to finish, so it ends at once.
    socket.shutdownHandler(v -> socket.close());
    socket.closeHandler(v -> {
      closed.tryComplete();
      waiting.forEach(p -> p.tryFail("closed by the server"));
      waiting.clear();
    });
    FrameDecoder.over(socket, Frame.MAX_PAYLOAD_CEILING, Command::serverPayloadAllowed)
      .frameHandler(this::received)
      .errorHandler(this::serverSentABadFrame);
  }

  static Future<RawClient> connect(Vertx vertx, int port) {
    return connectFrom(vertx, port, "127.0.0.1");
  }

  /** Connects from {@code localAddress} (any 127/8 address is this machine's own on Linux). */
  static Future<RawClient> connectFrom(Vertx vertx, int port, String localAddress) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setLocalAddress(localAddress));
    return client.connect(port, "127.0.0.1").map(socket -> new RawClient(client, socket));
  }

  /** Connects and reads the greeting. */
  static Future<RawClient> greeted(Vertx vertx, int port) {
    return connect(vertx, port).compose(client -> client.next().map(greeting -> client));
  }

  private void received(Frame frame) {
    Promise<Header> first = waiting.poll();
    if (first != null) {
      first.complete(frame.header());
    } else {
      received.add(frame.header());
    }
  }

  private void serverSentABadFrame(BadFrameException error) {
    waiting.forEach(p -> p.tryFail("the server sent a bad frame: " + error.reason()));
    waiting.clear();
  }

  /** The next frame from the server; fails if the server closes first. */
  Future<Header> next() {
    Header ready = received.poll();
    if (ready != null) {
      return Future.succeededFuture(ready);
    }
    if (closed.future().isComplete()) {
      return Future.failedFuture("closed by the server");
    }
    Promise<Header> promise = Promise.promise();
    waiting.add(promise);
    return promise.future();
  }

  Future<Void> send(Buffer bytes) {
    return socket.write(bytes);
  }

  /** Sends a well-formed frame and reads the next one. */
  Future<Header> call(String cmd, String data) {
    return call(new Header("", "", cmd, data));
  }

  Future<Header> call(Header header) {
    return send(Frame.encode(header, null)).compose(v -> next());
  }

  /** Completes once the server has closed the connection. */
  Future<Void> closed() {
    return closed.future();
  }

  /** Frames received and not yet read with {@link #next()}. */
  int unread() {
    return received.size();
  }

  Future<Void> close() {
    return socket.close().eventually(client::close);
  }
}
