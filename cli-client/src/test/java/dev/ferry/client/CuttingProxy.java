package dev.ferry.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A TCP relay in front of the server (TLS passes through untouched) that drops one connection
 * once a given number of bytes went one way: a network failure in the middle of a transfer. It
 * can also hold one connection still at such a point while something happens on the server (a
 * storage node going away), so that the transfer is surely running then.
 */
final class CuttingProxy {

  enum Direction { TO_CLIENT, TO_SERVER }

  private record Cut(Direction direction, long afterBytes, boolean thenRefuse) {
  }

  private record Hold(Direction direction, long afterBytes, Supplier<Future<?>> meanwhile) {
  }

  private final NetServer server;
  private final NetClient client;
  private final int targetPort;
  private final AtomicReference<Cut> armed = new AtomicReference<>();
  private final AtomicInteger cuts = new AtomicInteger();
  private final AtomicReference<Hold> holding = new AtomicReference<>();
  /** Holds whose {@code meanwhile} succeeded. */
  private final AtomicInteger holds = new AtomicInteger();
  /** A server gone for good: new connections are closed at once. */
  private volatile boolean refusing;

  private CuttingProxy(Vertx vertx, int targetPort) {
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(this::relay);
  }

  static Future<CuttingProxy> start(Vertx vertx, int targetPort) {
    CuttingProxy proxy = new CuttingProxy(vertx, targetPort);
    return proxy.server.listen(0, "127.0.0.1").map(s -> proxy);
  }

  int port() {
    return server.actualPort();
  }

  /** The next connection to pass {@code afterBytes} in {@code direction} is dropped there. */
  void cutOnce(Direction direction, long afterBytes) {
    armed.set(new Cut(direction, afterBytes, false));
  }

  /** As {@link #cutOnce}, and every connection after the cut is closed at once, until {@link #accept}. */
  void cutAndRefuse(Direction direction, long afterBytes) {
    armed.set(new Cut(direction, afterBytes, true));
  }

  /**
   * The next connection to pass {@code afterBytes} in {@code direction} forwards nothing more that
   * way until the future {@code meanwhile} starts there has completed, then goes on.
   */
  void holdOnce(Direction direction, long afterBytes, Supplier<Future<?>> meanwhile) {
    holding.set(new Hold(direction, afterBytes, meanwhile));
  }

  /** How many holds ran their {@code meanwhile} to success. */
  int holds() {
    return holds.get();
  }

  void accept() {
    refusing = false;
  }

  int cuts() {
    return cuts.get();
  }

  Future<Void> close() {
    return server.close().compose(v -> client.close());
  }

  private void relay(NetSocket front) {
    if (refusing) {
      front.close();
      return;
    }
    front.pause();
    client.connect(targetPort, "127.0.0.1").onComplete(connected -> {
      if (connected.failed()) {
        front.close();
        return;
      }
      NetSocket back = connected.result();
      forward(front, back, Direction.TO_SERVER);
      forward(back, front, Direction.TO_CLIENT);
      front.resume();
    });
  }

  private void forward(NetSocket from, NetSocket to, Direction direction) {
    long[] count = {0};
    from.handler(buffer -> {
      count[0] += buffer.length();
      Cut cut = armed.get();
      if (cut != null && cut.direction() == direction && count[0] >= cut.afterBytes() && armed.compareAndSet(cut, null)) {
        cuts.incrementAndGet();
        refusing = cut.thenRefuse();
        from.close();
        to.close();
        return;
      }
      to.write(buffer);
      Hold hold = holding.get();
      if (hold != null && hold.direction() == direction && count[0] >= hold.afterBytes() && holding.compareAndSet(hold, null)) {
        from.pause();
        hold.meanwhile().get().onComplete(done -> {
          if (done.succeeded()) {
            holds.incrementAndGet();
          }
          from.resume();
        });
      }
    });
    from.closeHandler(v -> to.close());
  }
}
