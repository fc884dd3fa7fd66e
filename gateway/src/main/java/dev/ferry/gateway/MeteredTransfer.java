package dev.ferry.gateway;

import dev.ferry.gateway.GatewayMetrics.Direction;
import dev.ferry.gateway.GatewayMetrics.Outcome;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * A {@link Transfer} counted from the outside, by the frames it exchanges with the client: the
 * file bytes of its chunks, and its outcome from its last answer (PROTOCOL.md s4 and s5). It
 * stands between the transfer and its {@link ClientLink}, so the transfers themselves carry no
 * metrics code. A transfer that ends without a last answer (another command came, the
 * connection closed) is counted as aborted; one whose opening reply never reached the client
 * never began and is not counted.
 */
final class MeteredTransfer implements Transfer, ClientLink {

  private final Transfer transfer;
  private final Direction direction;
  private ClientLink link;
  private long startNanos;
  private boolean counted;
  /** Whether the client's last download answer was {@code NOT_READY}: an ABORTED then is its own doing. */
  private boolean clientStopped;

  MeteredTransfer(Transfer transfer) {
    this.transfer = transfer;
    this.direction = transfer.frames() == Command.UPLOADING ? Direction.UPLOAD : Direction.DOWNLOAD;
  }

  /**
   * The outcome of an upload's last {@code uploading} answer: {@code SUCCESS*<sha256>} or
   * {@code FAILE*<stored>*<reason>}.
   */
  static Outcome uploadOutcome(String answer) {
    if (answer.startsWith(Replies.SUCCESS)) {
      return Outcome.SUCCESS;
    }
    String reason = answer.substring(answer.lastIndexOf(Replies.SEP) + 1);
    return switch (reason) {
      case Replies.ABORTED -> Outcome.ABORTED;
      case Replies.CHECKSUM_MISMATCH -> Outcome.CHECKSUM_MISMATCH;
      case Replies.QUOTA_EXCEEDED -> Outcome.QUOTA_EXCEEDED;
      default -> Outcome.FAILED;
    };
  }

  /**
   * The outcome of a download's last {@code download} answer: {@code SUCCESS}; {@code ABORTED*<n>},
   * which answers the client's {@code NOT_READY} but also a read that failed; anything else
   * ({@code BAD_OFFSET}, {@code BAD_ARGUMENTS}) is a failure.
   */
  static Outcome downloadOutcome(String answer, boolean clientStopped) {
    if (answer.equals(Replies.SUCCESS)) {
      return Outcome.SUCCESS;
    }
    return answer.startsWith(Replies.ABORTED + Replies.SEP) && clientStopped ? Outcome.ABORTED : Outcome.FAILED;
  }

  @Override
  public Command frames() {
    return transfer.frames();
  }

  @Override
  public void begin(ClientLink link) {
    this.link = link;
    this.startNanos = System.nanoTime();
    transfer.begin(this);
  }

  @Override
  public void onFrame(Frame frame) {
    if (!counted) {
      if (direction == Direction.UPLOAD) {
        GatewayMetrics.transferred(direction, frame.payload().length());
      } else {
        clientStopped = frame.header().data().startsWith(Replies.NOT_READY + Replies.SEP);
      }
    }
    transfer.onFrame(frame);
  }

  @Override
  public Future<Void> end() {
    return transfer.end().onComplete(ended -> {
      if (link != null) {
        count(Outcome.ABORTED); // no last answer was sent: the transfer was cut short
      }
    });
  }

  @Override
  public boolean isOver() {
    return transfer.isOver();
  }

  @Override
  public Future<Void> send(String cmd, String data) {
    if (direction == Direction.UPLOAD && cmd.equals(Command.UPLOADING.wire()) && !data.startsWith(Replies.ACK + Replies.SEP)) {
      count(uploadOutcome(data));
    } else if (direction == Direction.DOWNLOAD && cmd.equals(Command.DOWNLOAD.wire())) {
      count(downloadOutcome(data, clientStopped));
    }
    return link.send(cmd, data);
  }

  @Override
  public Future<Void> send(String cmd, String data, Buffer payload) {
    if (!counted && cmd.equals(Command.DOWNLOAD_ING.wire())) {
      GatewayMetrics.transferred(Direction.DOWNLOAD, payload.length());
    }
    return link.send(cmd, data, payload);
  }

  private void count(Outcome outcome) {
    if (!counted) {
      counted = true;
      GatewayMetrics.transferEnded(direction, outcome, System.nanoTime() - startNanos);
    }
  }

  @Override
  public boolean writeQueueFull() {
    return link.writeQueueFull();
  }

  @Override
  public void drainHandler(Handler<Void> handler) {
    link.drainHandler(handler);
  }

  @Override
  public void holdInput(boolean hold) {
    link.holdInput(hold);
  }

  @Override
  public void touched() {
    link.touched();
  }
}
