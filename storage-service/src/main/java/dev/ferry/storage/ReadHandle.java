package dev.ferry.storage;

import dev.ferry.protocol.Payloads;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A download: reads of one {@link FileSnapshot}, several at a time, at any offset. */
final class ReadHandle extends TransferHandle {

  private static final System.Logger LOG = System.getLogger(ReadHandle.class.getName());

  private final FileSnapshot snapshot;

  ReadHandle(Principal owner, FileSnapshot snapshot) {
    super(owner);
    this.snapshot = snapshot;
  }

  long size() {
    return snapshot.size();
  }

  String sha256() {
    return snapshot.sha256();
  }

  /**
   * min(length, size - offset) bytes from {@code offset}, by positional reads, so reads of one
   * handle may run at the same time. Blocking.
   */
  Buffer read(long offset, int length) throws IOException {
    if (offset < 0 || offset > snapshot.size()) {
      throw Failure.BAD_OFFSET.exception();
    }
    int wanted = (int) Math.min(length, snapshot.size() - offset);
    ByteBuffer bytes = ByteBuffer.allocate(wanted);
    // Short only when the file shrank in place by something outside Ferry: what is there is all there is.
    int read = PositionalIo.readFully(snapshot.channel(), bytes, offset);
    return Payloads.wrap(bytes.array(), read);
  }

  @Override
  Future<Void> close(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      snapshot.close();
      return null;
    }, false).<Void>mapEmpty().recover(error -> {
      LOG.log(System.Logger.Level.WARNING, "closing a read handle failed", error);
      return Future.succeededFuture();
    });
  }
}
