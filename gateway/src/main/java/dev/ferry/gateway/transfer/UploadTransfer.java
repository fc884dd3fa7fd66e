package dev.ferry.gateway.transfer;

import dev.ferry.gateway.ClientLink;
import dev.ferry.gateway.FailureAnswers;
import dev.ferry.gateway.Transfer;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.bus.Failure;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An upload after its {@code READY*<offset>} answer (PROTOCOL.md s5):
 *
 * <pre>
 * C  uploading &lt;offset of chunk&gt; + bytes   (repeated)
 * S  uploading ACK*&lt;bytes stored in total&gt;   (after each write forced to disk)
 * C  uploading SHA256*&lt;sha256&gt;               (only when the upload said LATER for its checksum)
 * S  uploading SUCCESS*&lt;sha256&gt;              or FAILE*&lt;bytes stored&gt;*&lt;reason&gt;
 * </pre>
 *
 * <p>Chunks go to the storage node as they come, several writes in flight (the node applies
 * them in order). Every {@code syncEvery} bytes, and with the last chunk, a write is forced to
 * disk before its answer, and only such answers are acknowledged, each with the bytes that
 * write covers, so an {@code ACK} always survives a crash. A client more than one window ahead of what is stored stops being read
 * until the writes catch up. When all bytes are stored (and, for an upload whose checksum comes
 * {@code LATER}, its {@code SHA256} frame has come) the node checks and publishes the file.
 *
 * <p>Endings: {@code SUCCESS}; {@code FAILE*0*CHECKSUM_MISMATCH} (the partial is dropped);
 * {@code FAILE*<stored>*BAD_OFFSET} for a chunk not at the next offset or past the size,
 * {@code FAILE*<stored>*QUOTA_EXCEEDED} for bytes storage refuses beyond the quota it reserved,
 * {@code ABORTED} for {@code uploading ABORT}, {@code ERROR} when storage fails. Before a
 * {@code FAILE} the writes in flight are let finish and the handle is closed, so the number is
 * exact and the partial can be resumed at once.
 */
public final class UploadTransfer implements Transfer {

  private static final System.Logger LOG = System.getLogger(UploadTransfer.class.getName());
  /** A forced write at least every this many bytes, whatever the window. */
  static final long MAX_SYNC_INTERVAL = 2L << 20;
  private static final Pattern OFFSET = Pattern.compile("[0-9]{1,18}");
  /** A chunk's data is its offset: only a frame starting so can be the checksum of a LATER upload. */
  private static final String CHECKSUM_PREFIX = Replies.SHA256 + Replies.SEP;
  private static final Pattern CHECKSUM = Pattern.compile(Pattern.quote(CHECKSUM_PREFIX) + "([0-9a-fA-F]{64})");

  /** RECEIVING chunks; ENDING: no more chunks, a last answer on its way; OVER. */
  private enum State { RECEIVING, ENDING, OVER }

  private final StorageHandle handle;
  private final TransferBudget budget;
  private final long size;
  /** Bytes received and not yet stored that this upload may hold before it stops reading. */
  private final long memoryShare;
  private final long syncEvery;
  private ClientLink link;
  private State state = State.RECEIVING;
  private final Promise<Void> over = Promise.promise();
  /** Offset the next chunk must start at: every byte received so far. */
  private long received;
  /** Bytes the node has stored. */
  private long stored;
  private long sinceSync;
  private int writesInFlight;
  private Promise<Void> settled;
  private boolean holding;
  /** Whether the checksum comes in a frame of its own after the chunks. */
  private final boolean checksumLater;
  /** That checksum once it came (lowercase hex); "" before, and for an upload that gave it when it opened. */
  private String checksum = "";

  public UploadTransfer(StorageHandle handle, TransferBudget budget, long size, long offset, long window, long memoryShare,
                        boolean checksumLater) {
    this.handle = handle;
    this.checksumLater = checksumLater;
    this.budget = budget;
    this.size = size;
    this.memoryShare = Math.min(window, memoryShare);
    this.syncEvery = Math.max(1, Math.min(window / 4, MAX_SYNC_INTERVAL));
    this.received = offset;
    this.stored = offset;
  }

  @Override
  public Command frames() {
    return Command.UPLOADING;
  }

  @Override
  public void begin(ClientLink link) {
    this.link = link;
    publishIfComplete(); // nothing (more) to send: a 0-byte file, or a partial that is complete
  }

  @Override
  public void onFrame(Frame frame) {
    if (state != State.RECEIVING) {
      return; // chunks still in flight behind the end: dropped
    }
    String data = frame.header().data();
    if (data.equals(Replies.ABORT)) {
      // "stops the upload; the server answers FAILE*<stored>*ABORTED and keeps the partial data"
      fail(Replies.ABORTED, true);
      return;
    }
    Matcher given = data.startsWith(CHECKSUM_PREFIX) ? CHECKSUM.matcher(data) : null;
    if (given != null && given.matches()) {
      if (!checksumLater || !checksum.isEmpty() || frame.payload().length() > 0) {
        fail(Replies.BAD_OFFSET, true); // not a chunk at the next offset, and no checksum was due
        return;
      }
      checksum = given.group(1).toLowerCase(Locale.ROOT);
      if (writesInFlight == 0) {
        publishIfComplete();
      }
      return;
    }
    Buffer bytes = frame.payload();
    if (!OFFSET.matcher(data).matches() || Long.parseLong(data) != received || bytes.length() > size - received) {
      // "A chunk whose offset is not the next expected one, or bytes beyond <size>"
      fail(Replies.BAD_OFFSET, true);
      return;
    }
    if (bytes.length() == 0) {
      return;
    }
    long offset = received;
    received += bytes.length();
    sinceSync += bytes.length();
    boolean sync = sinceSync >= syncEvery || received == size;
    if (sync) {
      sinceSync = 0;
    }
    writesInFlight++;
    // Counted until stored: the decoder gives back what it took for the chunk once this returns.
    int held = bytes.length();
    budget.take(held);
    handle.write(offset, bytes, sync).onComplete(written -> {
      budget.release(held);
      if (StorageHandle.answered(written)) {
        budget.recycle(bytes); // the node is done with the chunk
      }
      onWritten(written, sync);
    });
    updateHold();
  }

  /**
   * Stops reading the client while more than its share of the transfer memory (at most a window)
   * is on its way to storage. The gateway's
   * transfer memory needs no hold here: the connection's frame decoder waits for room before it
   * receives each chunk. (Holding the input for it would also deadlock: a chunk half received
   * holds its memory until the rest of it is read.)
   */
  private void updateHold() {
    hold(state == State.RECEIVING && received - stored > memoryShare);
  }

  private void onWritten(AsyncResult<Long> written, boolean sync) {
    writesInFlight--;
    if (written.succeeded()) {
      stored = Math.max(stored, written.result());
    }
    if (state == State.RECEIVING) {
      if (written.failed()) {
        LOG.log(Level.WARNING, "upload write failed", written.cause());
        fail(writeFailure(Failure.of(written.cause())), true);
      } else {
        if (sync) {
          // What this forced write covers, not the most stored: writes after it may have been
          // answered before its force finished, and their bytes are not yet on disk.
          link.send(Command.UPLOADING.wire(), Replies.join(Replies.ACK, written.result()));
        }
        updateHold();
        publishIfComplete();
      }
    }
    if (writesInFlight == 0 && settled != null) {
      settled.tryComplete();
    }
  }

  /** The reason of the FAILE answer to a write storage refused. */
  private static String writeFailure(Failure failure) {
    return switch (failure) {
      case BAD_OFFSET -> Replies.BAD_OFFSET;
      // PROTOCOL.md s6, issue 4: "storage stops an upload that tries, with FAILE*<stored>*QUOTA_EXCEEDED"
      case QUOTA_EXCEEDED -> Replies.QUOTA_EXCEEDED;
      default -> FailureAnswers.ERROR;
    };
  }

  /** Publishes once every byte is stored and the checksum is known (or was given at the open). */
  private void publishIfComplete() {
    if (state == State.RECEIVING && stored == size && (!checksumLater || !checksum.isEmpty())) {
      publish();
    }
  }

  /** "When all <size> bytes are stored the server checks the SHA-256 [...] and only then makes it visible". */
  private void publish() {
    state = State.ENDING;
    hold(false);
    handle.finish(checksum).onComplete(published -> {
      if (published.succeeded()) {
        last(Replies.join(Replies.SUCCESS, published.result()), Future.succeededFuture());
      } else if (Failure.of(published.cause()) == Failure.CHECKSUM_MISMATCH) {
        // "A mismatch answers FAILE*0*CHECKSUM_MISMATCH and the partial data is dropped."
        last(Replies.join(Replies.FAILE, 0, Replies.CHECKSUM_MISMATCH), Future.succeededFuture());
      } else {
        LOG.log(Level.WARNING, "publishing an upload failed", published.cause());
        last(Replies.join(Replies.FAILE, stored, FailureAnswers.ERROR), handle.close());
      }
    });
  }

  /**
   * Stops taking chunks, lets the writes in flight finish, closes the handle (the partial stays)
   * and then, if {@code answer}, answers {@code FAILE*<stored>*<reason>}; without it the
   * transfer ends in silence (another command came, or the connection is gone).
   */
  private Future<Void> fail(String reason, boolean answer) {
    if (state != State.RECEIVING) {
      return over.future();
    }
    state = State.ENDING;
    hold(false);
    settled().compose(v -> handle.close()).onComplete(closed -> {
      if (answer) {
        last(Replies.join(Replies.FAILE, stored, reason), Future.succeededFuture());
      } else {
        over();
      }
    });
    return over.future();
  }

  /** Sends the last answer once {@code before} is done; then the transfer is over. */
  private void last(String data, Future<Void> before) {
    before.onComplete(done -> link.send(Command.UPLOADING.wire(), data).onComplete(sent -> over()));
  }

  private void over() {
    state = State.OVER;
    over.tryComplete();
  }

  private Future<Void> settled() {
    if (writesInFlight == 0) {
      return Future.succeededFuture();
    }
    if (settled == null) {
      settled = Promise.promise();
    }
    return settled.future();
  }

  private void hold(boolean hold) {
    if (holding != hold) {
      holding = hold;
      link.holdInput(hold);
    }
  }

  @Override
  public Future<Void> end() {
    if (state == State.RECEIVING) {
      return fail(Replies.ABORTED, false);
    }
    return over.future();
  }

  @Override
  public boolean isOver() {
    return state == State.OVER;
  }
}
