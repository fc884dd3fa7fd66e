package dev.ferry.server;

import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.FrameDecoder;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.buffer.Buffer;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Many hostile TLS connections to a gateway from two threads, as a scanner or an attacker opens
 * them: each completes the TLS handshake, then behaves as its {@link Behaviour} says, and the
 * flood records how each one ended ({@link Outcome}). Connections leave from addresses spread
 * over 127.0.0.0/8 (never 127.0.0.1, the honest clients' address), a few dozen per address, so
 * that a limit per client address is not what they meet.
 *
 * <p>Bounded: at most {@code inFlight} connections connect or handshake at once, none is opened
 * after {@code openWithin}, and after {@code lifetime} the flood closes every connection itself.
 */
final class Flood implements AutoCloseable {

  /** What a connection does once its TLS handshake is done. */
  enum Behaviour {
    /** Sends the 8-byte prefix of a frame announcing a 64 KiB header and no payload, then nothing. */
    BIG_HEADER,
    /** Sends nothing. */
    SILENT,
    /** Sends a login frame one byte a second, over and over. */
    TRICKLE
  }

  /**
   * How one connection went: why it never got going ({@code failure}, or null), the server's frames
   * as {@code "<cmd> <data>"}, and when (from the start of its TCP connect) its handshake was done,
   * its behaviour began and the server closed it after the handshake (null: not closed by the server).
   */
  record Outcome(Behaviour behaviour, String localAddress, String failure, List<String> frames, Duration handshake,
                 Duration started, Duration closedByServer) {

    boolean greeted() {
      return !frames.isEmpty() && frames.get(0).equals("hello " + Replies.HELLO);
    }

    /** The {@code data} of the first {@code error} frame, or null. */
    String error() {
      return frames.stream().filter(f -> f.startsWith("error ")).map(f -> f.substring("error ".length())).findFirst().orElse(null);
    }

    /** From the moment its behaviour began (the prefix sent, say) to the server's close; null if the server did not close it. */
    Duration closedAfterStart() {
      return closedByServer == null || started == null ? null : closedByServer.minus(started);
    }
  }

  static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
  /** Connections per source address: well under the gateway's default per-address limit (100). */
  private static final int PER_ADDRESS = 50;
  /** The prefix {@code u32 65536, u32 0}: the largest header the protocol allows, no payload. */
  private static final byte[] BIG_HEADER_PREFIX = {0, 1, 0, 0, 0, 0, 0, 0};
  private static final byte[] LOGIN = Frame.encode(new Header("flood", "flood-pass-1", "login", "user"), null).getBytes();

  private final EventLoopGroup group;
  private final SslContext tls;
  private final Bootstrap bootstrap;
  private final InetSocketAddress server;
  private final List<Behaviour> plan;
  private final int inFlightMax;
  /** Opens connections and counts those in flight; only it touches {@link #next} and {@link #inFlight}. */
  private final EventLoop opener;
  private final long startNanos = System.nanoTime();
  private final long openDeadlineNanos;
  private final List<Connection> connections = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger settled = new AtomicInteger();
  private final AtomicInteger ended = new AtomicInteger();
  private final Map<Channel, Boolean> open = new ConcurrentHashMap<>();
  private int next;
  private int inFlight;
  private volatile boolean openingDone;
  private volatile long openingDoneNanos;
  private volatile boolean closed;

  private Flood(int port, List<Behaviour> plan, int inFlightMax, Duration openWithin) throws SSLException {
    this.server = new InetSocketAddress("127.0.0.1", port);
    this.plan = List.copyOf(plan);
    this.inFlightMax = inFlightMax;
    this.group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    // BoringSSL where it loads (as the gateway uses it): a handshake costs a fraction of the JDK's.
    SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    this.tls = SslContextBuilder.forClient().sslProvider(provider).trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
      .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, HANDSHAKE_TIMEOUT_MILLIS);
    this.opener = group.next();
    this.openDeadlineNanos = System.nanoTime() + openWithin.toNanos();
  }

  /**
   * Starts opening the connections of {@code plan}, in its order, to 127.0.0.1:{@code port}; none
   * after {@code openWithin}, and all closed after {@code lifetime} at the latest.
   */
  static Flood start(int port, List<Behaviour> plan, int inFlight, Duration openWithin, Duration lifetime) throws SSLException {
    Flood flood = new Flood(port, plan, inFlight, openWithin);
    flood.opener.execute(flood::openMore);
    flood.opener.schedule(flood::stopOpening, openWithin.toMillis(), TimeUnit.MILLISECONDS);
    flood.opener.schedule(flood::closeAll, lifetime.toMillis(), TimeUnit.MILLISECONDS);
    return flood;
  }

  /** The TLS implementation of the flood's side: OpenSSL (BoringSSL) where it loads, else the JDK's. */
  String tlsProvider() {
    return OpenSsl.isAvailable() ? "OpenSSL" : "JDK";
  }

  /** Connections whose handshake is over, done or failed. */
  int settled() {
    return settled.get();
  }

  /** Whether no more connections will be opened: all were, or the time to open them is over, and none is still handshaking. */
  boolean openingDone() {
    return openingDone;
  }

  /** From the start to when every connection had been opened and handshaken (or failed), or null before. */
  Duration openingTook() {
    return openingDone ? Duration.ofNanos(openingDoneNanos - startNanos) : null;
  }

  /** Connections opened so far that are no longer open. */
  int ended() {
    return ended.get();
  }

  /** Connections opened (attempted) so far. */
  int opened() {
    return connections.size();
  }

  /** Polls {@code condition} every 50 ms until it holds or {@code within} has passed; answers whether it held. */
  static boolean await(BooleanSupplier condition, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50); // polling interval of a condition with a deadline
    }
    return true;
  }

  /** How each connection opened so far went; read after {@link #close()} for final answers. */
  List<Outcome> outcomes() {
    synchronized (connections) {
      return connections.stream().map(Connection::outcome).collect(Collectors.toList());
    }
  }

  private void openMore() {
    while (!closed && !openingDone && inFlight < inFlightMax && next < plan.size()) {
      if (System.nanoTime() > openDeadlineNanos) {
        stopOpening();
        return;
      }
      int index = next++;
      inFlight++;
      open(index, plan.get(index));
    }
    if (next == plan.size() && inFlight == 0) {
      markOpeningDone();
    }
  }

  private void markOpeningDone() {
    if (!openingDone) {
      openingDoneNanos = System.nanoTime();
      openingDone = true;
    }
  }

  private void stopOpening() {
    next = plan.size();
    if (inFlight == 0) {
      markOpeningDone();
    }
  }

  /** On the opener: a connection's handshake is over one way or the other. */
  private void handshakeOver() {
    inFlight--;
    settled.incrementAndGet();
    openMore();
  }

  private void open(int index, Behaviour behaviour) {
    int address = index / PER_ADDRESS;
    // 127.1.0.1, 127.1.0.2, ...: 250 addresses per /24, never .0 or .255.
    String local = "127.1." + (address / 250) + "." + (address % 250 + 1);
    Connection connection = new Connection(behaviour, local);
    connections.add(connection);
    bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel channel) {
        SslHandler ssl = tls.newHandler(channel.alloc(), server.getHostString(), server.getPort());
        ssl.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
        channel.pipeline().addLast(ssl, connection);
      }
    }).connect(server, new InetSocketAddress(local, 0)).addListener(connected -> {
      if (!connected.isSuccess()) {
        connection.connectFailed(connected.cause());
      }
    });
  }

  private void closeAll() {
    closed = true;
    markOpeningDone();
    open.keySet().forEach(channel -> {
      Connection connection = channel.pipeline().get(Connection.class);
      if (connection != null) {
        connection.closingByUs = true;
      }
      channel.close();
    });
  }

  /** Closes every connection still open and stops the flood's threads. */
  @Override
  public void close() throws InterruptedException {
    opener.submit(this::closeAll).awaitUninterruptibly(10_000);
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
  }

  /** Per behaviour: how many, handshake failures, frames received, closes by the server and when. For failure messages. */
  static String summary(Collection<Outcome> outcomes) {
    StringBuilder text = new StringBuilder();
    Map<Behaviour, List<Outcome>> byBehaviour = outcomes.stream().collect(Collectors.groupingBy(Outcome::behaviour, TreeMap::new, Collectors.toList()));
    byBehaviour.forEach((behaviour, list) -> {
      Map<String, Long> failures = count(list.stream().filter(o -> o.failure() != null).map(Outcome::failure).collect(Collectors.toList()));
      Map<String, Long> frames = count(list.stream().flatMap(o -> o.frames().stream()).collect(Collectors.toList()));
      List<Duration> handshakes = list.stream().map(Outcome::handshake).filter(d -> d != null).sorted().collect(Collectors.toList());
      List<Duration> closes = list.stream().map(Outcome::closedByServer).filter(d -> d != null).sorted().collect(Collectors.toList());
      text.append(String.format(Locale.ROOT, "%n  %s x%d: handshaken %d (%s), failed %s, frames %s, closed by the server %d (%s)",
        behaviour, list.size(), handshakes.size(), spread(handshakes), failures, frames, closes.size(), spread(closes)));
    });
    return text.toString();
  }

  private static Map<String, Long> count(List<String> values) {
    return values.stream().collect(Collectors.groupingBy(v -> v.length() > 120 ? v.substring(0, 120) + "..." : v, TreeMap::new, Collectors.counting()));
  }

  private static String spread(List<Duration> sorted) {
    if (sorted.isEmpty()) {
      return "-";
    }
    return String.format(Locale.ROOT, "after connect: min %d ms, p50 %d ms, max %d ms", sorted.get(0).toMillis(),
      sorted.get(sorted.size() / 2).toMillis(), sorted.get(sorted.size() - 1).toMillis());
  }

  /** One connection: its behaviour once handshaken, and what it saw. Runs on its channel's event loop. */
  private final class Connection extends ChannelInboundHandlerAdapter {

    private final Behaviour behaviour;
    private final String local;
    private final long startNanos = System.nanoTime();
    private final List<String> frames = Collections.synchronizedList(new ArrayList<>());
    private final FrameDecoder decoder = FrameDecoder.create(Frame.MAX_PAYLOAD_CEILING, Command::serverPayloadAllowed)
      .frameHandler(frame -> frames.add(frame.header().cmd() + " " + frame.header().data()))
      .errorHandler(error -> frames.add("(bad frame from the server: " + error.reason() + ")"));
    private volatile String failure;
    private volatile long handshakeNanos;
    private volatile long startedNanos;
    private volatile long closedNanos;
    private volatile boolean closingByUs;
    /** Touched on the opener only. */
    private boolean settledOnOpener;
    private ScheduledFuture<?> trickle;
    private int trickled;

    Connection(Behaviour behaviour, String local) {
      this.behaviour = behaviour;
      this.local = local;
    }

    @Override
    public boolean isSharable() {
      return false;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      open.put(ctx.channel(), Boolean.TRUE);
      if (closed) {
        closingByUs = true;
        ctx.close();
      }
      super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof SslHandshakeCompletionEvent done) {
        if (done.isSuccess()) {
          handshakeNanos = System.nanoTime();
          begin(ctx);
        } else {
          if (failure == null) {
            failure = "handshake: " + done.cause();
          }
          // Its own timeout closes it, or the server did: either way the handshake failure is the story.
          closingByUs = true;
          ctx.close();
        }
      }
      super.userEventTriggered(ctx, event);
    }

    private void begin(ChannelHandlerContext ctx) {
      settle();
      switch (behaviour) {
        case BIG_HEADER -> ctx.writeAndFlush(Unpooled.wrappedBuffer(BIG_HEADER_PREFIX));
        case SILENT -> { }
        case TRICKLE -> trickle = ctx.executor().scheduleAtFixedRate(() -> {
          ctx.writeAndFlush(Unpooled.wrappedBuffer(LOGIN, trickled % LOGIN.length, 1));
          trickled++;
        }, 0, 1, TimeUnit.SECONDS);
        default -> throw new IllegalStateException(behaviour.toString());
      }
      startedNanos = System.nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      try {
        if (message instanceof ByteBuf bytes) {
          decoder.handle(Buffer.buffer(ByteBufUtil.getBytes(bytes)));
        }
      } finally {
        ReferenceCountUtil.release(message);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // After the handshake, a reset by the server reads as an error before the close: the close is what counts.
      if (handshakeNanos == 0 && !closingByUs && failure == null) {
        failure = "error: " + cause;
      }
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (trickle != null) {
        trickle.cancel(false);
      }
      if (!closingByUs && handshakeNanos != 0) {
        closedNanos = System.nanoTime();
      }
      if (handshakeNanos == 0 && failure == null) {
        failure = closingByUs ? "closed by the flood before the handshake completed" : "closed before the handshake completed";
      }
      open.remove(ctx.channel());
      ended.incrementAndGet();
      settle();
      super.channelInactive(ctx);
    }

    /** The connect failed: the channel never became active, so it never becomes inactive either. */
    void connectFailed(Throwable cause) {
      failure = "connect: " + cause;
      ended.incrementAndGet();
      settle();
    }

    /** Its handshake is over, done or failed: counted once, on the opener, which may open another. */
    private void settle() {
      opener.execute(() -> {
        if (!settledOnOpener) {
          settledOnOpener = true;
          handshakeOver();
        }
      });
    }

    Outcome outcome() {
      List<String> seen;
      synchronized (frames) {
        seen = List.copyOf(frames);
      }
      return new Outcome(behaviour, local, failure, seen, since(handshakeNanos), since(startedNanos), since(closedNanos));
    }

    private Duration since(long nanos) {
      return nanos == 0 ? null : Duration.ofNanos(nanos - startNanos);
    }
  }
}
