package dev.ferry.gateway;

import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import io.vertx.core.Future;

/**
 * A download or an upload in progress on one connection (PROTOCOL.md s4 and s5), opened by its
 * command and then fed the frames of its own command ({@code download_RES} or
 * {@code uploading}) without waiting: the client acknowledges a download and streams an upload
 * while the server is still sending or storing. Those frames get no reply of their own; the
 * transfer sends what the protocol says when it says it, through a {@link ClientLink}.
 *
 * <p>Any other command ends the transfer first (its storage handle is closed, an upload's
 * partial data kept) and is then handled as usual; so does a closed connection. A frame of a
 * transfer that is already over is dropped without a reply: the client may have had a window
 * of them in flight, and answering them would put replies where it expects the answer to its
 * next command.
 */
public interface Transfer {

  /** The command whose frames belong to this transfer. */
  Command frames();

  /** Starts the transfer once the reply that opened it has been written. */
  void begin(ClientLink link);

  /** A frame of {@link #frames()} from the client. */
  void onFrame(Frame frame);

  /**
   * Ends the transfer without a word to the client if it is still running; an ending already
   * under way (a final reply being sent) is let finish. Completes once the transfer is over and
   * its storage handle closed. Never fails.
   */
  Future<Void> end();

  /** Whether the transfer has ended: its frames are no longer its own. */
  boolean isOver();
}
