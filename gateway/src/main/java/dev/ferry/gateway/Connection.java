package dev.ferry.gateway;

import dev.ferry.protocol.BadFrameException;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.FrameDecoder;
import dev.ferry.protocol.FrameMemorySpentException;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.bus.TokenRevocations;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: decodes frames, runs their commands strictly one at a time, writes the
 * replies, feeds a running {@link Transfer} its frames, and closes on a bad frame, on logout,
 * after too many failed logins, when no login came in time, when before login it does not finish
 * a frame it began within {@code loginStallSeconds}, when the client has been idle too long, or
 * when it stopped sending a frame it had begun. Its timeouts are checked by its gateway instance's
 * periodic {@link #check}, not by timers of its own.
 *
 * <p>Before login it costs little and holds nothing it could not lose: small headers only
 * ({@code maxLoginHeader}), no payload at all, and when the frame memory every connection shares
 * is spent it is closed ({@code BUSY*MEMORY}) rather than made to wait, as logged-in ones are.
 *
 * <p>Back-pressure: the decoder is paused while a command runs and resumed once its reply is
 * written, so a client that pipelines commands costs at most what the socket buffers. A
 * transfer's frames are not commands: they are handed over as they come (a download's
 * acknowledgements arrive while it streams), and the transfer holds the input itself when its
 * own buffers are full.
 */
final class Connection implements ClientLink {

  private static final System.Logger LOG = System.getLogger(Connection.class.getName());
  private static final long NONE = 0;
  /** Netty's default high water mark; a larger queue lets a download keep a chunk or two queued. */
  private static final int MIN_WRITE_QUEUE_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final NetSocket socket;
  private final GatewayOptions options;
  private final CommandDispatcher dispatcher;
  private final GatewayResources resources;
  private final Session session;
  private final String address;
  private FrameDecoder decoder;
  /** When the connection is closed if it has not logged in by then; {@link #NONE} while logged in. */
  private long loginDeadlineNanos = NONE;
  private long lastActivityNanos = System.nanoTime();
  /** The decoder's bytes received when last seen to move, and since when they have not. */
  private long receivedMark;
  private long receivedMarkNanos = System.nanoTime();
  private boolean commandRunning;
  private boolean transferHolds;
  /** The client has closed its side: nothing more will come. */
  private boolean inputEnded;

  Connection(Vertx vertx, NetSocket socket, GatewayOptions options, CommandDispatcher dispatcher, GatewayResources resources) {
    this.vertx = vertx;
    this.socket = socket;
    this.options = options;
    this.dispatcher = dispatcher;
    this.resources = resources;
    this.address = socket.remoteAddress() == null || socket.remoteAddress().hostAddress() == null
      ? "" : socket.remoteAddress().hostAddress();
    this.session = new Session(address, resources.limits());
  }

  /**
   * Greets the client, or, when a connection limit is reached, answers {@code BUSY*<reason>}
   * and closes. Answers whether the connection was admitted; {@code closed} runs once it closes.
   */
  boolean start(Handler<Connection> closed) {
    String refused = resources.limits().admit(address);
    if (refused != null) {
      LOG.log(Level.DEBUG, () -> "connection " + socket.remoteAddress() + " refused: " + refused);
      GatewayMetrics.connectionRefused(refused);
      socket.handler(ignored -> { });
      socket.write(Frame.encode(Header.reply("", Command.ERROR.wire(), Replies.join(Replies.BUSY, refused)), null))
        .onComplete(v -> socket.close());
      return false;
    }
    socket.closeHandler(v -> {
      cleanup();
      closed.handle(this);
    });
    socket.setWriteQueueMaxSize(Math.max(MIN_WRITE_QUEUE_BYTES, 2 * options.maxPayload()));
    decoder = FrameDecoder.over(socket, options.maxPayload(), session::takesPayload, resources.transferBudget())
      .headerLimit(() -> session.isLoggedIn() ? Frame.MAX_HEADER_LENGTH : options.maxLoginHeader())
      .headerMemory(resources.frameMemory(), session::isLoggedIn)
      .frameHandler(this::onFrame)
      .errorHandler(this::onBadFrame)
      .failureHandler(this::onDecoderFailure);
    // Set after the decoder, which installs a handler of its own that drops errors.
    socket.exceptionHandler(error -> LOG.log(Level.DEBUG, () -> "connection " + socket.remoteAddress() + ": " + error));
    // Replaces the decoder's own end handling, which only matters for a frame cut short; such a
    // frame is never delivered either way.
    socket.endHandler(v -> {
      inputEnded = true;
      closeOnceAnswered();
    });
    loginDeadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.loginTimeoutSeconds());
    send(Header.reply("", Command.HELLO.wire(), Replies.HELLO));
    return true;
  }

  private void onFrame(Frame frame) {
    if (session.isClosed()) {
      return;
    }
    touched();
    Header header = frame.header();
    Transfer transfer = session.transfer();
    if (transfer != null && dispatcher.feedsTransfer(session, transfer, header)) {
      transfer.onFrame(frame);
      return;
    }
    commandRunning = true;
    updateInput();
    dispatcher.dispatch(session, header)
      .recover(error -> {
        LOG.log(Level.ERROR, "dispatch of " + header.cmd() + " failed", error);
        return Future.succeededFuture(Reply.of(FailureAnswers.ERROR));
      })
      .onSuccess(reply -> answer(header, reply));
  }

  private void answer(Header request, Reply reply) {
    if (session.isClosed()) {
      endUnstarted(reply);
      return;
    }
    if (session.isLoggedIn()) {
      loginDeadlineNanos = NONE;
    } else if (loginDeadlineNanos == NONE) {
      // A session that lost its login (logout, refused token) gets a fresh login period.
      loginDeadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.loginTimeoutSeconds());
    }
    if (reply.isNone()) {
      commandDone();
      return;
    }
    send(Header.reply(session.account(), request.cmd(), reply.data())).onComplete(written -> {
      if (reply.close() || written.failed() || session.isClosed()) {
        endUnstarted(reply);
        close();
        return;
      }
      if (reply.opens() != null) {
        session.startTransfer(reply.opens());
        reply.opens().begin(this);
      }
      commandDone();
    });
  }

  /** A transfer whose opening reply never reached the client still holds a storage handle. */
  private static void endUnstarted(Reply reply) {
    if (reply.opens() != null) {
      reply.opens().end();
    }
  }

  private void commandDone() {
    commandRunning = false;
    touched();
    updateInput();
    if (inputEnded) {
      // After the frames the client sent before its end have had their turn (resuming the
      // decoder may have started the next command, or will once this call stack unwinds).
      vertx.runOnContext(v -> closeOnceAnswered());
    }
  }

  /**
   * A client that closed its side (a half-close) is answered what it asked for and then closed,
   * rather than left open until the idle timeout. A transfer cannot go on without it: it ends
   * (an upload whose bytes are all in still gets its final answer), then the connection closes.
   */
  private void closeOnceAnswered() {
    if (!inputEnded || commandRunning || session.isClosed()) {
      return;
    }
    Transfer transfer = session.transfer();
    if (transfer == null) {
      close();
    } else {
      transfer.end().onComplete(ended -> close());
    }
  }

  /** Reads frames unless a command runs or the transfer's buffers are full. */
  private void updateInput() {
    if (commandRunning || transferHolds) {
      decoder.pause();
    } else {
      decoder.resume();
    }
  }

  private void onBadFrame(BadFrameException error) {
    LOG.log(Level.DEBUG, () -> "connection " + socket.remoteAddress() + ": bad frame " + error.reason());
    // PROTOCOL.md s1: one reply {"cmd":"error","data":"BAD_FRAME*<reason>"}, then close.
    send(Header.reply(session.account(), Command.ERROR.wire(), error.replyData())).onComplete(v -> close());
  }

  /**
   * The decoder could not go on: the frame memory is spent and this connection has not logged
   * in ({@code BUSY*MEMORY}), or there was no heap for a frame (no answer: the client sees a
   * dropped connection, and resumes).
   */
  private void onDecoderFailure(Throwable error) {
    if (error instanceof FrameMemorySpentException) {
      LOG.log(Level.DEBUG, () -> "connection " + socket.remoteAddress() + ": closed before login, frame memory spent");
      GatewayMetrics.connectionRefused(Replies.BUSY_MEMORY);
      send(Header.reply("", Command.ERROR.wire(), Replies.join(Replies.BUSY, Replies.BUSY_MEMORY))).onComplete(v -> close());
      return;
    }
    LOG.log(Level.ERROR, "connection " + socket.remoteAddress() + ": closed, reading its input failed", error);
    close();
  }

  private Future<Void> send(Header header) {
    return socket.write(Frame.encode(header, null));
  }

  @Override
  public Future<Void> send(String cmd, String data) {
    return send(Header.reply(session.account(), cmd, data));
  }

  @Override
  public Future<Void> send(String cmd, String data, Buffer payload) {
    // Two writes on one socket keep their order; the chunk goes out without being copied.
    socket.write(Frame.encodeHead(Header.reply(session.account(), cmd, data), payload.length()));
    return socket.write(payload);
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
  }

  @Override
  public void holdInput(boolean hold) {
    if (transferHolds != hold && !session.isClosed()) {
      transferHolds = hold;
      updateInput();
    }
  }

  @Override
  public void touched() {
    lastActivityNanos = System.nanoTime();
  }

  /**
   * The timeouts, checked by the gateway instance's periodic sweep (a timer per connection would
   * cost ten thousand idle sessions ten thousand timers): no login in time; before login, a frame
   * begun and not finished within {@code loginStallSeconds} (a login is a few hundred bytes);
   * idleness; and a frame that stopped arriving half-way for {@code frameStallSeconds} (a chunk's
   * bytes are taken from the transfer memory, a header's from the frame memory, every connection
   * shares, and only its sender can give them back by sending the rest).
   *
   * <p>The same check keeps the session token fresh while a transfer runs: its frames are not
   * commands, so nothing else would renew it, and a transfer may well outlive one token. A
   * renewal refused (the account deleted or locked) ends the connection.
   */
  void check(long now) {
    if (session.isClosed()) {
      return;
    }
    if (!session.isLoggedIn() && loginDeadlineNanos != NONE && now - loginDeadlineNanos >= 0) {
      LOG.log(Level.DEBUG, () -> "connection " + socket.remoteAddress() + ": no login in time");
      close();
      return;
    }
    if (!session.isLoggedIn() && decoder.awaitsRest()
      && now - decoder.frameStartNanos() >= TimeUnit.SECONDS.toNanos(options.loginStallSeconds())) {
      LOG.log(Level.DEBUG, () -> "connection " + socket.remoteAddress() + ": began a frame before login and did not finish it in "
        + options.loginStallSeconds() + " s");
      close();
      return;
    }
    // A command still running (an open hashing a large file) is not idleness.
    if (!commandRunning && now - lastActivityNanos >= TimeUnit.SECONDS.toNanos(options.idleTimeoutSeconds())) {
      LOG.log(Level.DEBUG, () -> "connection " + socket.remoteAddress() + ": idle");
      close();
      return;
    }
    if (stalledMidFrame(now, TimeUnit.SECONDS.toNanos(options.frameStallSeconds()))) {
      LOG.log(Level.INFO, () -> "connection " + socket.remoteAddress() + ": closed, no byte of the frame it began for "
        + options.frameStallSeconds() + " s");
      close();
      return;
    }
    Transfer transfer = session.transfer();
    if (transfer != null && !transfer.isOver() && session.isLoggedIn()) {
      dispatcher.keepTokenFresh(session).onSuccess(stillLoggedIn -> {
        if (!stillLoggedIn) {
          close();
        }
      });
    }
  }

  /**
   * Ends the connection when its session's token was revoked (its account deleted, locked, or its
   * password changed elsewhere): PROTOCOL.md lets the server close a session at any time, and the
   * client learns of it at once rather than at its next command.
   */
  void closeIfRevoked(TokenRevocations revocations) {
    if (session.holdsRevokedToken(revocations)) {
      LOG.log(Level.INFO, "session of '" + session.account() + "' ended: its token was revoked");
      close();
    }
  }

  /**
   * How often {@link #check} must run for timeouts of these options: a quarter of the shortest,
   * between 100 ms and 1 s, so a connection closes between 1 and 1.25 timeouts after the fact.
   */
  static long checkPeriodMillis(GatewayOptions options) {
    long shortest = TimeUnit.SECONDS.toMillis(Math.min(Math.min(options.idleTimeoutSeconds(), options.tokenTtlSeconds()),
      Math.min(Math.min(options.frameStallSeconds(), options.loginStallSeconds()), options.loginTimeoutSeconds())));
    return Math.max(100, Math.min(shortest / 4, 1_000));
  }

  /** Whether a frame has been half-received, with the input read, and not moved for {@code stallNanos}. */
  private boolean stalledMidFrame(long now, long stallNanos) {
    long received = decoder.bytesReceived();
    if (!decoder.awaitsRest() || received != receivedMark) {
      receivedMark = received;
      receivedMarkNanos = now;
      return false;
    }
    return now - receivedMarkNanos >= stallNanos;
  }

  private void close() {
    if (!session.isClosed()) {
      socket.close();
    }
  }

  /** Runs once, whichever side closed: the close handler of the socket. */
  private void cleanup() {
    try {
      decoder.close();
      Transfer transfer = session.transfer();
      if (transfer != null) {
        // "a dropped connection closes the handle"; an upload's partial data stays for a resume.
        transfer.end();
      }
    } finally {
      session.close();
      resources.limits().release(address);
    }
  }
}
