package dev.ferry.gateway;

import dev.ferry.protocol.BadFrameException;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.FrameDecoder;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.PayloadMemory;
import dev.ferry.protocol.Replies;
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
 * after too many failed logins, when no login came in time, when the client has been idle too
 * long, or when it stopped sending a chunk it had begun.
 *
 * <p>Back-pressure: the decoder is paused while a command runs and resumed once its reply is
 * written, so a client that pipelines commands costs at most what the socket buffers. A
 * transfer's frames are not commands: they are handed over as they come (a download's
 * acknowledgements arrive while it streams), and the transfer holds the input itself when its
 * own buffers are full.
 */
final class Connection implements ClientLink {

  private static final System.Logger LOG = System.getLogger(Connection.class.getName());
  private static final long NO_TIMER = -1;
  /** Netty's default high water mark; a larger queue lets a download keep a chunk or two queued. */
  private static final int MIN_WRITE_QUEUE_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final NetSocket socket;
  private final GatewayOptions options;
  private final CommandDispatcher dispatcher;
  /** The gateway's transfer memory, which also holds the chunks clients are sending. */
  private final PayloadMemory payloadMemory;
  private final Session session;
  private FrameDecoder decoder;
  private long loginTimer = NO_TIMER;
  private long idleTimer = NO_TIMER;
  private long lastActivityNanos = System.nanoTime();
  /** The decoder's payload bytes when last seen to move, and since when they have not. */
  private long payloadMark;
  private long payloadMarkNanos = System.nanoTime();
  private boolean commandRunning;
  private boolean transferHolds;
  /** The client has closed its side: nothing more will come. */
  private boolean inputEnded;

  Connection(Vertx vertx, NetSocket socket, GatewayOptions options, CommandDispatcher dispatcher, PayloadMemory payloadMemory) {
    this.vertx = vertx;
    this.socket = socket;
    this.options = options;
    this.dispatcher = dispatcher;
    this.payloadMemory = payloadMemory;
    this.session = new Session(socket.remoteAddress() == null ? "" : socket.remoteAddress().hostAddress());
  }

  void start() {
    socket.closeHandler(v -> cleanup());
    socket.setWriteQueueMaxSize(Math.max(MIN_WRITE_QUEUE_BYTES, 2 * options.maxPayload()));
    decoder = FrameDecoder.over(socket, options.maxPayload(), Command::clientPayloadAllowed, payloadMemory)
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
    armLoginTimer();
    startIdleCheck();
    send(Header.reply("", Command.HELLO.wire(), Replies.HELLO));
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
      cancelLoginTimer();
    } else {
      armLoginTimerIfNone();
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
   * The decoder could not go on (no heap for a frame): neither can the connection. The protocol
   * has no answer for this; the client sees a dropped connection, and resumes.
   */
  private void onDecoderFailure(Throwable error) {
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

  private void armLoginTimer() {
    cancelLoginTimer();
    loginTimer = vertx.setTimer(TimeUnit.SECONDS.toMillis(options.loginTimeoutSeconds()), id -> {
      loginTimer = NO_TIMER;
      if (!session.isLoggedIn()) {
        LOG.log(Level.DEBUG, () -> "connection " + socket.remoteAddress() + ": no login in time");
        close();
      }
    });
  }

  /** A session that lost its login (logout, refused token) gets a fresh login period. */
  private void armLoginTimerIfNone() {
    if (loginTimer == NO_TIMER) {
      armLoginTimer();
    }
  }

  private void cancelLoginTimer() {
    if (loginTimer != NO_TIMER) {
      vertx.cancelTimer(loginTimer);
      loginTimer = NO_TIMER;
    }
  }

  /**
   * One periodic check of the last activity, rather than a timer re-armed per frame: a transfer
   * brings a frame per chunk. The check runs four times per timeout (at most every 30 s), so a
   * connection closes between 1 and 1.25 timeouts after its last activity.
   *
   * <p>The same check closes a connection whose chunk stopped arriving half-way for
   * {@code frameStallSeconds}: the chunk's bytes are taken from the transfer memory every
   * transfer of the gateway shares, and only its sender can give them back by sending the rest.
   * A few clients that stall so would otherwise stop every transfer until their idle timeout.
   *
   * <p>The same check keeps the session token fresh while a transfer runs: its frames are not
   * commands, so nothing else would renew it, and a transfer may well outlive one token. A
   * renewal refused (the account deleted or locked) ends the connection.
   */
  private void startIdleCheck() {
    long idleMillis = TimeUnit.SECONDS.toMillis(options.idleTimeoutSeconds());
    long tokenMillis = TimeUnit.SECONDS.toMillis(options.tokenTtlSeconds());
    long stallMillis = TimeUnit.SECONDS.toMillis(options.frameStallSeconds());
    long period = Math.max(100, Math.min(Math.min(Math.min(idleMillis, tokenMillis), stallMillis) / 4, 30_000));
    idleTimer = vertx.setPeriodic(period, id -> {
      // A command still running (an open hashing a large file) is not idleness.
      if (!commandRunning && System.nanoTime() - lastActivityNanos >= TimeUnit.MILLISECONDS.toNanos(idleMillis)) {
        LOG.log(Level.DEBUG, () -> "connection " + socket.remoteAddress() + ": idle");
        close();
        return;
      }
      if (stalledMidChunk(stallMillis)) {
        LOG.log(Level.INFO, () -> "connection " + socket.remoteAddress() + ": closed, no byte of the chunk it began for "
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
    });
  }

  /** Whether a chunk has been half-received, with the input read, and not moved for {@code stallMillis}. */
  private boolean stalledMidChunk(long stallMillis) {
    long now = System.nanoTime();
    long received = decoder.payloadBytesReceived();
    if (!decoder.awaitsPayload() || received != payloadMark) {
      payloadMark = received;
      payloadMarkNanos = now;
      return false;
    }
    return now - payloadMarkNanos >= TimeUnit.MILLISECONDS.toNanos(stallMillis);
  }

  private void close() {
    if (!session.isClosed()) {
      socket.close();
    }
  }

  /** Runs once, whichever side closed: the close handler of the socket. */
  private void cleanup() {
    decoder.close();
    cancelLoginTimer();
    if (idleTimer != NO_TIMER) {
      vertx.cancelTimer(idleTimer);
      idleTimer = NO_TIMER;
    }
    Transfer transfer = session.transfer();
    if (transfer != null) {
      // "a dropped connection closes the handle"; an upload's partial data stays for a resume.
      transfer.end();
    }
    session.close();
  }
}
