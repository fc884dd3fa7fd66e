package dev.ferry.storage;

import dev.ferry.protocol.Payloads;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.regex.Pattern;

/**
 * An upload in progress: the locked {@code .part} file of one target, the running SHA-256 of
 * what it holds, and the queue of work on it.
 *
 * <p>Writes may be sent before the previous ones are answered (TransferApi); each is checked
 * against the next expected offset when it arrives and then chained behind the previous one,
 * so one upload's writes run in order on the worker pool while other uploads run beside them.
 * Each chunk is hashed on a chain of its own, beside the writes, and a write is answered once
 * its chunk is also hashed. A write that must be durable is forced on a third chain, beside the
 * writes that follow it: the disk flush is off the path of the data, and the write is answered
 * only once its force is done, which covers every byte it stored (a flush that covers several
 * waiting writes answers them all). {@link #finish} and {@link #close} wait for every chain.
 * The bookkeeping of arrivals ({@code accepted}, {@code tail}, {@code hashed}, {@code forces})
 * lives on the node's event loop; the file work on workers, one step at a time per chain.
 *
 * <p>Quota (TransferApi, "Quota"): the handle holds the upload's reservation ({@link QuotaHold}).
 * An upload of known size reserved all it may add when it opened, and its writes cannot pass its
 * size; one of unknown size reserves ahead of its writes, a {@link #QUOTA_STEP} at a time, each
 * write waiting for the room it needs, and a write the quota cannot cover fails QUOTA_EXCEEDED
 * (the node then drops the upload, {@link #discard}). When the handle ends (published, dropped on a checksum
 * mismatch, closed by its transfer, by the idle timeout or by the node stopping) it reports to
 * quota-service, before the request that ended it is answered, how much what a recount counts
 * for the target's owner changed since the open: partial bytes added, truncated or dropped, the
 * file published, the file it replaced. The sizes are measured on disk, not derived from what
 * the transfer said.
 */
final class UploadHandle extends TransferHandle {

  private static final System.Logger LOG = System.getLogger(UploadHandle.class.getName());
  /** How much more an upload of unknown size reserves whenever its writes need room. */
  static final long QUOTA_STEP = 8L << 20;
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final UploadTarget target;
  private final PartialUploads partials;
  private final DigestStore digests;
  private final UsageReporter usage;
  private final QuotaHold hold;
  private final String key;
  private final FileChannel channel;
  private final FileLock lock;
  private final MessageDigest digest;
  private final long offsetAtOpen;
  /** Bytes a recount counted for this target's partial when the handle opened, before any truncation. */
  private final long countedAtOpen;
  /** Once the handle has ended: how much a recount's count changed since the open (see the class comment). */
  private volatile long endDelta;
  /** Whether {@link #endDelta} went to quota-service; only touched on the node's event loop. */
  private boolean endReported;
  /** Bytes in the {@code .part} file: written on workers, one chained step at a time. */
  private volatile long stored;
  /** Bytes a finished flush covers; only touched by the force chain, one step at a time. */
  private volatile long durable;
  private volatile boolean released;
  /** Next offset a write may start at: every write accepted so far, done or queued. */
  private long accepted;
  private Future<?> tail = Future.succeededFuture();
  /** The last chunk queued for the digest: hashing runs on a chain of its own, beside the writes. */
  private Future<?> hashed = Future.succeededFuture();
  /** The last force queued; a failed force fails every later one, so no ACK can follow a lost flush. */
  private Future<Long> forces = Future.succeededFuture(0L);
  /** The last growth of the reservation queued (unknown size); once one fails, every later write fails. */
  private Future<Void> room = Future.succeededFuture();

  /** The open's reservation of the entry the upload makes. */
  private final EntryLedger.Entry entry;
  /** Whether the open made no claim because the target existed: if it is gone at the publish, the file is a new entry. */
  private final boolean countIfNew;

  private UploadHandle(Principal owner, UploadTarget target, PartialUploads partials, DigestStore digests,
                       UsageReporter usage, QuotaHold hold, String key, FileChannel channel, FileLock lock,
                       MessageDigest digest, long offset, long countedAtOpen, EntryLedger.Entry entry, boolean countIfNew) {
    super(owner);
    this.entry = entry;
    this.countIfNew = countIfNew;
    this.target = target;
    this.partials = partials;
    this.digests = digests;
    this.usage = usage;
    this.hold = hold;
    this.key = key;
    this.channel = channel;
    this.lock = lock;
    this.digest = digest;
    this.offsetAtOpen = offset;
    this.countedAtOpen = countedAtOpen;
    this.stored = offset;
    this.accepted = offset;
  }

  /**
   * Opens the upload of {@code target}: resumes its partial when one of the same owner, target,
   * size and SHA-256 is there (PROTOCOL.md s5: "READY*<offset> with offset > 0 resumes a partial
   * upload of the same target, size and SHA-256 left by an earlier connection"), else starts a
   * new one. Blocking.
   *
   * @param maxPartials the most partial uploads the uploading account may have; a new one past
   *                    that is refused before anything is created
   * @param entry       a reservation of the file a new upload will make in its owner's home,
   *                    claimed here (a resumed one was counted when it began; an overwrite
   *                    makes no new entry)
   * @param hold        the upload's quota reservation, empty yet: the caller reserves once the
   *                    offset is known, and the handle releases it when it ends
   * @throws io.vertx.core.eventbus.ReplyException BUSY when the target is being uploaded already,
   *                                               or the account has its most partial uploads
   */
  static UploadHandle open(UploadTarget target, PartialUploads partials, DigestStore digests, UsageReporter usage,
                           QuotaHold hold, int maxPartials, EntryLedger.Entry entry) throws IOException {
    String key = PartialUploads.keyOf(target.virtualPath());
    if (!partials.claim(key)) {
      throw Failure.BUSY.exception();
    }
    FileChannel channel = null;
    boolean counted = false;
    boolean countIfNew = false;
    try {
      if (partials.readMeta(key).isEmpty()) {
        if (partials.countOf(target.owner().account()) >= maxPartials) {
          throw Failure.BUSY.exception(target.owner().account() + " has " + maxPartials + " partial uploads already");
        }
        if (target.exists()) {
          countIfNew = true;
        } else {
          entry.claim();
          counted = true;
        }
      }
      channel = partials.openPart(key);
      FileLock lock = PartialUploads.tryLock(channel);
      if (lock == null) {
        throw Failure.BUSY.exception("locked by another process");
      }
      MessageDigest digest = Sha256.newDigest();
      String account = target.owner().account();
      PartialUploads.Meta meta = partials.readMeta(key).orElse(null);
      // As a recount counts it (PartialUploads#counted), before anything below truncates it.
      long countedAtOpen = meta == null ? 0 : channel.size();
      long offset;
      if (meta != null && target.resume() && meta.resumableBy(account, target.virtualPath(), target.size(), target.sha256())) {
        // What is on disk is what survived: bytes past the last forced write may or may not be
        // there, and either way they are a prefix the client sent. Never more than the size.
        offset = target.sizeKnown() ? Math.min(channel.size(), target.size()) : channel.size();
        channel.truncate(offset);
        Sha256.update(digest, channel, offset);
      } else {
        // Emptied and forced before the new metadata exists, so a crash in between can never
        // make old bytes look like the start of the new upload.
        channel.truncate(0);
        channel.force(true);
        partials.writeMeta(key, new PartialUploads.Meta(account, target.virtualPath(), target.size(), target.sha256(),
          System.currentTimeMillis()));
        offset = 0;
      }
      return new UploadHandle(target.owner(), target, partials, digests, usage, hold, key, channel, lock, digest, offset,
        countedAtOpen, entry, countIfNew);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      if (counted) {
        entry.unclaim();
      }
      partials.release(key);
      throw e;
    }
  }

  long offset() {
    return offsetAtOpen;
  }

  UploadTarget target() {
    return target;
  }

  /** Bytes written or queued so far: the size of the file a finish publishes. */
  long accepted() {
    return accepted;
  }

  QuotaHold hold() {
    return hold;
  }

  /**
   * Queues {@code bytes} at {@code offset}; the future is the total stored once they are
   * written (and forced to disk with {@code sync}). A write that does not start at the next
   * expected offset or passes the declared size fails BAD_OFFSET and writes nothing. An upload
   * of unknown size first grows its reservation, as {@code token}'s caller, when the write needs
   * more room than is held; a write it cannot cover fails QUOTA_EXCEEDED and writes nothing, and
   * so does every write after it.
   */
  Future<Long> write(Vertx vertx, long offset, Buffer bytes, boolean sync, String token) {
    if (offset != accepted || target.sizeKnown() && bytes.length() > target.size() - offset) {
      return Future.failedFuture(Failure.BAD_OFFSET.exception("expected " + accepted + ", got " + offset + "+" + bytes.length()));
    }
    long sinceOpen = accepted - offsetAtOpen + bytes.length();
    if (!target.sizeKnown() && hold.limited() && sinceOpen > hold.bytes()) {
      room = room.compose(v -> cover(token, sinceOpen));
    }
    Future<Void> covered = room;
    accepted += bytes.length();
    ByteBuffer view = Payloads.view(bytes);
    Future<Long> written = tail.compose(v -> covered)
      .compose(v -> vertx.executeBlocking(() -> writeNow(offset, view.duplicate()), false));
    Future<Void> digested = hashed.compose(v -> vertx.executeBlocking(() -> hashNow(view.duplicate()), false));
    // Not the steps' own futures: a completed composition keeps its function, and with it the
    // chunk, for as long as it is referenced. An open upload would hold its last chunk between
    // writes, outside the gateway's transfer memory (64 uploads at once held 63 MiB so).
    tail = written.mapEmpty();
    hashed = digested.mapEmpty();
    Future<Long> done = sync ? forceAfter(vertx, written) : written;
    // Answered once the chunk is stored and in the digest: until then the node holds it, and the
    // gateway counts it in its transfer memory. A failure too waits for both (join, not all):
    // the gateway reuses the chunk's memory once the write is answered (TransferApi WRITE).
    return Future.join(done, digested).map(both -> done.result());
  }

  /**
   * Room for {@code sinceOpen} bytes written since the open: a step more than the reservation
   * holds, or just what is missing when a whole step does not fit.
   */
  private Future<Void> cover(String token, long sinceOpen) {
    long missing = sinceOpen - hold.bytes();
    if (missing <= 0) {
      return Future.succeededFuture();
    }
    long step = Math.max(missing, QUOTA_STEP);
    return hold.reserve(token, step).recover(refused -> step > missing && Failure.of(refused) == Failure.QUOTA_EXCEEDED
      ? hold.reserve(token, missing) : Future.failedFuture(refused));
  }

  /** Queues a force once {@code written} is done: fdatasync flushes every page dirty when it starts, all bytes up to its end. */
  private Future<Long> forceAfter(Vertx vertx, Future<Long> written) {
    Future<Long> forced = forces.compose(v -> written).compose(upTo -> vertx.executeBlocking(() -> forceNow(upTo), false));
    forces = forced;
    return forced;
  }

  /** Every chain done (or failed): the work queued so far has ended. */
  private Future<?> queued() {
    return Future.join(tail, hashed, forces);
  }

  /**
   * Queues the publish of the file (complete, if its size was declared); the future is its
   * SHA-256. The file must have the checksum the open declared, or else {@code given} (lowercase
   * hex, from a client that sends it after its chunks), when either is there.
   */
  Future<String> finish(Vertx vertx, String given) {
    if (target.sizeKnown() && accepted != target.size()) {
      return Future.failedFuture(Failure.BAD_OFFSET.exception("finish with " + accepted + " of " + target.size() + " bytes"));
    }
    if (!given.isEmpty() && !SHA256_HEX.matcher(given).matches()) {
      return Future.failedFuture(Failure.BAD_REQUEST.exception("a checksum that is not 64 lowercase hex digits"));
    }
    String expected = target.sha256().isEmpty() ? given : target.sha256();
    Future<String> published = queued().compose(v -> vertx.executeBlocking(() -> publishNow(expected), false))
      .eventually(this::reportEnd);
    // A publish that failed changed nothing (or dropped everything): it does not fail what follows.
    tail = published.recover(error -> Future.succeededFuture());
    return published;
  }

  /** Queues the release of the lock and the channel once queued work is done; the partial stays. */
  @Override
  Future<Void> close(Vertx vertx) {
    Future<Void> closed = queued().transform(previous -> vertx.executeBlocking(() -> {
      endKeepingPartial();
      return null;
    }, false)).<Void>mapEmpty().recover(error -> {
      LOG.log(System.Logger.Level.WARNING, "closing the upload of " + target.virtualPath() + " failed", error);
      return Future.succeededFuture();
    }).compose(v -> reportEnd());
    tail = closed;
    return closed;
  }

  /**
   * Queues the end of the upload dropping its partial data, once queued work is done: a write
   * refused for quota leaves nothing counted (TransferApi, "Quota"). Never fails.
   */
  Future<Void> discard(Vertx vertx) {
    Future<Void> dropped = queued().transform(previous -> vertx.executeBlocking(() -> {
      if (!released) {
        try {
          partials.discard(key);
        } finally {
          end(-countedAtOpen);
        }
      }
      return null;
    }, false)).<Void>mapEmpty().recover(error -> {
      LOG.log(System.Logger.Level.WARNING, "dropping the upload of " + target.virtualPath() + " failed", error);
      return Future.succeededFuture();
    }).compose(v -> reportEnd());
    tail = dropped;
    return dropped;
  }

  /** Writes {@code bytes} (a view of the chunk: read, never changed) at {@code offset}. */
  private long writeNow(long offset, ByteBuffer bytes) throws IOException {
    if (released) {
      throw Failure.NO_SUCH_HANDLE.exception();
    }
    if (offset != stored) {
      // Only after an earlier write failed half-way: never write where it would leave a hole.
      throw Failure.BAD_OFFSET.exception("stored " + stored + ", write at " + offset);
    }
    stored = PositionalIo.writeFully(channel, bytes, offset);
    return stored;
  }

  /**
   * Adds the next chunk to the digest, in the order the chunks were accepted. On a chain beside
   * the writes, so that a chunk is written, and its force begun, while the one before it is
   * still being hashed. A write that fails leaves the digest ahead of the file, which nothing
   * can publish then: a publish needs every byte stored, and the writes after a failed one fail
   * too; the next open of the partial hashes what is on disk.
   */
  private Void hashNow(ByteBuffer bytes) {
    digest.update(bytes);
    return null;
  }

  /**
   * Makes the first {@code stored} bytes durable. One flush covers every write done before it
   * starts, so a force whose bytes an earlier one already covered has nothing left to do: while
   * a flush runs, the forces queued behind it are settled by the next one (group commit), and a
   * slow disk costs a flush per flush time, not one per forced write.
   */
  private long forceNow(long stored) throws IOException {
    if (released) {
      throw Failure.NO_SUCH_HANDLE.exception();
    }
    if (stored <= durable) {
      return stored;
    }
    long covered = this.stored; // written before the flush starts, so in it
    channel.force(false);
    durable = covered;
    return stored;
  }

  /**
   * PROTOCOL.md s5: "When all <size> bytes are stored the server checks the SHA-256 of the whole
   * file (resumed prefix included), makes it durable, and only then makes it visible at its name
   * in one atomic step, replacing any old file".
   */
  private String publishNow(String expected) throws IOException {
    if (released) {
      throw Failure.NO_SUCH_HANDLE.exception();
    }
    if (target.sizeKnown() && stored != target.size()) {
      throw Failure.BAD_OFFSET.exception("finish with " + stored + " of " + target.size() + " bytes");
    }
    String actual = currentSha256();
    if (!expected.isEmpty() && !expected.equals(actual)) {
      // "A mismatch answers FAILE*0*CHECKSUM_MISMATCH and the partial data is dropped." Dropped
      // while still held, so no new upload of the target can open the files being deleted.
      try {
        partials.discard(key);
      } finally {
        end(partialCountedNow() - countedAtOpen);
      }
      throw Failure.CHECKSUM_MISMATCH.exception();
    }
    channel.force(true);
    try (JailedPath destination = target.recheck()) {
      boolean madeNew = destination.ownAttributesIfAny() == null;
      BasicFileAttributes published = Files.readAttributes(partials.part(key), BasicFileAttributes.class);
      // What the rename removes: a recount counted it until now (a link or nothing counts 0).
      long replaced = DiskUsage.bytesOfEntry(destination);
      partials.publish(key, destination);
      try {
        // The rename keeps the inode and the modification time, so these attributes describe the
        // published file; the digest is remembered for its downloads and checksums.
        digests.record(target.virtualPath(), published, actual);
        partials.deleteMeta(key);
      } finally {
        if (madeNew && countIfNew) {
          entry.madeUnclaimed();
        }
        // Published whatever follows: the partial's bytes now count as the file, the replaced file no more.
        end(published.size() - replaced - countedAtOpen);
      }
    }
    return actual;
  }

  /**
   * Ends the handle keeping the partial (a close): what a recount counts is its size now. An
   * empty partial is dropped instead, while still held: it holds nothing to resume (an upload
   * refused its quota right after the open leaves none behind), and it would count against the
   * account's partial uploads for days.
   */
  private void endKeepingPartial() throws IOException {
    if (released) {
      return;
    }
    if (channel.size() == 0) {
      try {
        partials.discard(key);
      } finally {
        end(-countedAtOpen);
      }
      return;
    }
    end(partialCountedNow() - countedAtOpen);
  }

  /** What a recount counts for the partial now; when it cannot be measured, what it counted at the open (no change). */
  private long partialCountedNow() {
    try {
      return partials.counted(key);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot measure the partial upload of " + target.virtualPath()
        + "; its usage is left as it was: " + e);
      return countedAtOpen;
    }
  }

  /** Releases the handle, remembering the change to report (the first end wins). */
  private void end(long delta) throws IOException {
    if (released) {
      return;
    }
    endDelta = delta;
    releaseNow();
  }

  /**
   * Sends the change the handle's end made, once, before its request is answered. On the event
   * loop, after the worker step that ended it.
   */
  private Future<Void> reportEnd() {
    if (!released || endReported) {
      return Future.succeededFuture();
    }
    endReported = true;
    // Usage grows before the reservation that covered the bytes goes (QuotaApi ADJUST).
    return usage.adjust(target.virtualPath(), endDelta).compose(v -> hold.release());
  }

  /** The SHA-256 of the bytes so far, leaving the running digest as it is (a failed publish may be retried). */
  private String currentSha256() {
    try {
      return Sha256.hex((MessageDigest) digest.clone());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the SHA-256 digest cannot be cloned", e);
    }
  }

  private void releaseNow() throws IOException {
    if (released) {
      return;
    }
    released = true;
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } finally {
      partials.release(key);
    }
  }
}
