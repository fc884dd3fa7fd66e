package dev.ferry.gateway.transfer;

import dev.ferry.gateway.ClientLink;
import dev.ferry.gateway.Transfer;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.Replies;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.lang.System.Logger.Level;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A download after its {@code <size>*<sha256>} answer (PROTOCOL.md s4):
 *
 * <pre>
 * C  download_RES READY*&lt;offset&gt;            (or NOT_READY*&lt;n&gt;: download ABORTED*&lt;n&gt;)
 * S  download_ing &lt;offset of chunk&gt; + bytes  (repeated, in offset order)
 * C  download_RES READY*&lt;bytes received&gt;     (acknowledgements, no reply of their own)
 * S  download SUCCESS                       once the client acknowledged &lt;size&gt;
 * </pre>
 *
 * <p>Chunks are read from the storage node several at a time and written in offset order, while
 * the bytes sent but not acknowledged stay within the window and the socket's write queue has
 * room. {@code NOT_READY} during the stream stops it with {@code ABORTED*<next offset it would
 * have sent>}; an acknowledgement above what was sent answers {@code BAD_OFFSET}; a failed read
 * answers {@code ABORTED*<bytes acknowledged>}. Each of these ends the transfer and closes the
 * storage handle.
 */
public final class DownloadTransfer implements Transfer {

  private static final System.Logger LOG = System.getLogger(DownloadTransfer.class.getName());
  /** Reads in flight, or read and waiting for their turn on the socket. */
  static final int MAX_READS = 4;

  private enum State { AWAITING_START, STREAMING, OVER }

  private final StorageHandle handle;
  private final TransferBudget budget;
  private final long size;
  private final int chunk;
  private final long window;
  private ClientLink link;
  private State state = State.AWAITING_START;
  private Future<Void> over;
  /** Next offset to ask storage for. */
  private long nextRead;
  /** Next offset to write to the client: everything before it has been sent. */
  private long nextSend;
  /** Bytes the client has acknowledged. */
  private long acked;
  private int readsInFlight;
  /** Chunks read out of order, waiting for the ones before them. */
  private final TreeMap<Long, Buffer> ready = new TreeMap<>();
  private boolean awaitingDrain;
  private boolean awaitingBudget;

  public DownloadTransfer(StorageHandle handle, TransferBudget budget, long size, int chunk, long window) {
    this.handle = handle;
    this.budget = budget;
    this.size = size;
    this.chunk = (int) Math.max(1, Math.min(chunk, window));
    this.window = window;
  }

  @Override
  public Command frames() {
    return Command.DOWNLOAD_RES;
  }

  @Override
  public void begin(ClientLink link) {
    this.link = link;
  }

  @Override
  public void onFrame(Frame frame) {
    if (state == State.OVER) {
      return;
    }
    ClientAnswer answer = ClientAnswer.parse(frame.header().data());
    if (answer == null) {
      finish(Replies.BAD_ARGUMENTS);
    } else if (!answer.ready()) {
      // s4: before the first READY it "cancels" with ABORTED*<n>; during the stream it "pauses it:
      // the server stops, answers ABORTED*<next offset it would have sent>".
      finish(Replies.join(Replies.ABORTED, state == State.AWAITING_START ? answer.offset() : nextSend));
    } else if (state == State.AWAITING_START) {
      start(answer.offset());
    } else {
      acknowledged(answer.offset());
    }
  }

  private void start(long offset) {
    if (offset > size) {
      finish(Replies.BAD_OFFSET); // "An offset above the size answers BAD_OFFSET."
    } else if (offset == size) {
      finish(Replies.SUCCESS); // "A zero-byte file: READY*0 is answered by SUCCESS at once."
    } else {
      state = State.STREAMING;
      nextRead = offset;
      nextSend = offset;
      acked = offset;
      pump();
    }
  }

  private void acknowledged(long total) {
    if (total > nextSend) {
      finish(Replies.BAD_OFFSET); // the client cannot have received what was never sent
      return;
    }
    acked = Math.max(acked, total);
    if (acked == size) {
      finish(Replies.SUCCESS);
    } else {
      pump();
    }
  }

  /** Asks storage for more chunks while the window, the read limit and the socket allow. */
  private void pump() {
    while (state == State.STREAMING && nextRead < size && readsInFlight + ready.size() < MAX_READS) {
      long length = Math.min(chunk, size - nextRead);
      if (nextRead + length - acked > window) {
        return; // the next acknowledgement calls again
      }
      if (link.writeQueueFull()) {
        awaitDrain();
        return;
      }
      if (!budget.tryTake(length)) {
        awaitBudget(length);
        return;
      }
      long offset = nextRead;
      nextRead += length;
      readsInFlight++;
      handle.read(offset, length).onComplete(read -> onRead(offset, length, read));
    }
  }

  private void onRead(long offset, long length, AsyncResult<Buffer> read) {
    readsInFlight--;
    if (state != State.STREAMING) {
      budget.release(length); // stopped meanwhile: what was read is dropped
      return;
    }
    if (read.failed() || read.result().length() != length) {
      budget.release(length);
      LOG.log(Level.WARNING, "download read at " + offset + " failed", read.cause());
      finish(Replies.join(Replies.ABORTED, acked));
      return;
    }
    ready.put(offset, read.result());
    while (!ready.isEmpty() && ready.firstKey() == nextSend) {
      Buffer bytes = ready.pollFirstEntry().getValue();
      int held = bytes.length();
      // The bytes stay in memory until the socket has written them.
      link.send(Command.DOWNLOAD_ING.wire(), Long.toString(nextSend), bytes).onComplete(written -> budget.release(held));
      nextSend += bytes.length();
      link.touched();
    }
    pump();
  }

  private void awaitBudget(long length) {
    if (!awaitingBudget) {
      awaitingBudget = true;
      budget.whenAvailable(length, () -> {
        awaitingBudget = false;
        pump();
      });
    }
  }

  private void awaitDrain() {
    if (!awaitingDrain) {
      awaitingDrain = true;
      link.drainHandler(v -> {
        awaitingDrain = false;
        pump();
      });
    }
  }

  /** Answers {@code download <data>}, closes the handle, and the transfer is over. */
  private void finish(String data) {
    stop();
    link.send(Command.DOWNLOAD.wire(), data);
  }

  private Future<Void> stop() {
    if (over == null) {
      state = State.OVER;
      ready.values().forEach(bytes -> budget.release(bytes.length()));
      ready.clear();
      over = handle.close();
    }
    return over;
  }

  @Override
  public Future<Void> end() {
    return stop();
  }

  @Override
  public boolean isOver() {
    return state == State.OVER;
  }

  /** {@code READY*<n>} or {@code NOT_READY*<n>}, n a whole number of bytes; null for anything else. */
  record ClientAnswer(boolean ready, long offset) {

    private static final Pattern BYTES = Pattern.compile("[0-9]{1,18}");

    static ClientAnswer parse(String data) {
      int star = data.indexOf(Replies.SEP);
      if (star < 0) {
        return null;
      }
      String word = data.substring(0, star);
      String number = data.substring(star + 1);
      if (!BYTES.matcher(number).matches()) {
        return null;
      }
      if (word.equals(Replies.READY)) {
        return new ClientAnswer(true, Long.parseLong(number));
      }
      return word.equals(Replies.NOT_READY) ? new ClientAnswer(false, Long.parseLong(number)) : null;
    }
  }
}
