package dev.ferry.storage;

import dev.ferry.protocol.bus.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * An open transfer on this node (TransferApi): a download's {@link ReadHandle} or an upload's
 * {@link UploadHandle}. Its bookkeeping fields are only touched on the node's event loop.
 */
abstract class TransferHandle {

  private final Principal owner;
  private String verifiedToken;
  private long lastUsedNanos = System.nanoTime();
  private int requestsInFlight;

  TransferHandle(Principal owner) {
    this.owner = owner;
  }

  Principal owner() {
    return owner;
  }

  /** Whether {@code token} is the one already verified for this handle: a chunk need not verify it again. */
  boolean isVerified(String token) {
    return token != null && token.equals(verifiedToken);
  }

  void verified(String token) {
    verifiedToken = token;
  }

  void started() {
    requestsInFlight++;
    lastUsedNanos = System.nanoTime();
  }

  void ended() {
    requestsInFlight--;
    lastUsedNanos = System.nanoTime();
  }

  /** Unused for longer than {@code idleNanos} with nothing in progress. */
  boolean isIdle(long nowNanos, long idleNanos) {
    return requestsInFlight == 0 && nowNanos - lastUsedNanos > idleNanos;
  }

  /** Releases what the handle holds; an upload keeps its partial data. Never fails. */
  abstract Future<Void> close(Vertx vertx);
}
