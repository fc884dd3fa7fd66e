package dev.ferry.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A TCP relay in front of the server (TLS passes through untouched) that drops one connection
 * once a given number of bytes went one way: a network failure in the middle of a transfer. It
 * can also hold one connection still at such a point while something happens on the server (a
 * storage node going away), so that the transfer is surely running then.
 */
final class CuttingProxy implements BeforeAllCallback, AfterAllCallback {

  enum Direction { TO_CLIENT, TO_SERVER }

  private record Cut(Direction direction, long afterBytes, boolean thenRefuse) {
  }

  private record Hold(Direction direction, long afterBytes, Supplier<Future<?>> meanwhile) {
  }

  /** The server in front of which the proxy runs as an extension; null when started by {@link #start}. */
  private final RunningServer target;
  private NetServer server;
  private NetClient client;
  private int targetPort;
  private final AtomicReference<Cut> armed = new AtomicReference<>();
  private final AtomicInteger cuts = new AtomicInteger();
  private final AtomicReference<Hold> holding = new AtomicReference<>();
  /** Holds whose {@code meanwhile} succeeded. */
  private final AtomicInteger holds = new AtomicInteger();
  /** A server gone for good: new connections are closed at once. */
  private volatile boolean refusing;

  private CuttingProxy(RunningServer target) {
    this.target = target;
  }

  /**
   * A proxy in front of {@code target} for a whole test class, registered with
   * {@code @RegisterExtension} after it: it starts once the server is up, and stops before it.
   */
  static CuttingProxy inFrontOf(RunningServer target) {
    return new CuttingProxy(target);
  }

  /** A proxy in front of {@code targetPort}, for a server that is no {@link RunningServer}; {@link #close} stops it. */
  static Future<CuttingProxy> start(Vertx vertx, int targetPort) {
    return new CuttingProxy(null).listen(vertx, targetPort);
  }

  private Future<CuttingProxy> listen(Vertx vertx, int port) {
    targetPort = port;
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(this::relay);
    return server.listen(0, "127.0.0.1").map(s -> this);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    listen(target.vertx(), target.port()).await(60, TimeUnit.SECONDS);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close().await(60, TimeUnit.SECONDS);
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
