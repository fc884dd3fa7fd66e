package dev.ferry.gateway;

import dev.ferry.protocol.BadFrameException;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.FrameDecoder;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;

import java.lang.System.Logger.Level;

/**
 * One client connection: decodes frames, runs their commands strictly one at a time, writes the
 * replies, and closes on a bad frame, on logout, after too many failed logins, when no login
 * came in time, or when the client has been idle too long.
 *
 * <p>Back-pressure: the decoder is paused while a command runs and resumed once its reply is
 * written, so a client that pipelines frames costs at most what the socket buffers.
 */
final class Connection {

  private static final System.Logger LOG = System.getLogger(Connection.class.getName());
  private static final long NO_TIMER = -1;

  private final Vertx vertx;
  private final NetSocket socket;
  private final GatewayOptions options;
  private final CommandDispatcher dispatcher;
  private final Session session = new Session();
  private FrameDecoder decoder;
  private long loginTimer = NO_TIMER;
  private long idleTimer = NO_TIMER;

  Connection(Vertx vertx, NetSocket socket, GatewayOptions options, CommandDispatcher dispatcher) {
    this.vertx = vertx;
    this.socket = socket;
    this.options = options;
    this.dispatcher = dispatcher;
  }

  void start() {
    socket.closeHandler(v -> cleanup());
    decoder = FrameDecoder.over(socket, options.maxPayload(), Command::clientPayloadAllowed)
      .frameHandler(this::onFrame)
      .errorHandler(this::onBadFrame);
    // Set after the decoder, which installs a handler of its own that drops errors.
    socket.exceptionHandler(error -> LOG.log(Level.DEBUG, () -> "connection " + socket.remoteAddress() + ": " + error));
    armLoginTimer();
    armIdleTimer();
    send(Header.reply("", Command.HELLO.wire(), Replies.HELLO));
  }

  private void onFrame(Frame frame) {
    if (session.isClosed()) {
      return;
    }
    decoder.pause();
    armIdleTimer();
    Header header = frame.header();
    dispatcher.dispatch(session, header)
      .recover(error -> {
        LOG.log(Level.ERROR, "dispatch of " + header.cmd() + " failed", error);
        return Future.succeededFuture(Reply.of(FailureAnswers.ERROR));
      })
      .onSuccess(reply -> answer(header, reply));
  }

  private void answer(Header request, Reply reply) {
    if (session.isClosed()) {
      return;
    }
    if (session.isLoggedIn()) {
      cancelLoginTimer();
    } else {
      armLoginTimerIfNone();
    }
    send(Header.reply(session.account(), request.cmd(), reply.data())).onComplete(written -> {
      if (reply.close() || written.failed()) {
        close();
      } else {
        decoder.resume();
      }
    });
  }

  private void onBadFrame(BadFrameException error) {
    LOG.log(Level.DEBUG, () -> "connection " + socket.remoteAddress() + ": bad frame " + error.reason());
    // PROTOCOL.md s1: one reply {"cmd":"error","data":"BAD_FRAME*<reason>"}, then close.
    send(Header.reply(session.account(), Command.ERROR.wire(), error.replyData())).onComplete(v -> close());
  }

  private Future<Void> send(Header header) {
    return socket.write(Frame.encode(header, null));
  }

  private void armLoginTimer() {
    cancelLoginTimer();
    loginTimer = vertx.setTimer(seconds(options.loginTimeoutSeconds()), id -> {
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

  private void armIdleTimer() {
    cancelIdleTimer();
    idleTimer = vertx.setTimer(seconds(options.idleTimeoutSeconds()), id -> {
      idleTimer = NO_TIMER;
      LOG.log(Level.DEBUG, () -> "connection " + socket.remoteAddress() + ": idle");
      close();
    });
  }

  private void cancelIdleTimer() {
    if (idleTimer != NO_TIMER) {
      vertx.cancelTimer(idleTimer);
      idleTimer = NO_TIMER;
    }
  }

  private void close() {
    if (!session.isClosed()) {
      socket.close();
    }
  }

  /** Runs once, whichever side closed: the close handler of the socket. */
  private void cleanup() {
    cancelLoginTimer();
    cancelIdleTimer();
    session.close();
  }

  private static long seconds(int seconds) {
    return seconds * 1000L;
  }
}
