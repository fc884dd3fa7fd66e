package dev.ferry.protocol.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Typed failures of service requests. Services fail a request with {@link #exception()}; only
 * the gateway turns a failure into a wire reply, and what it answers depends on the command.
 */
public enum Failure {
  /** Outside the caller's home, or an action the caller's role may not take. */
  NO_PERMISSION(403),
  /** The path, or its parent for a create, does not exist. */
  NOT_FOUND(404),
  NOT_A_DIRECTORY(405),
  IS_A_DIRECTORY(406),
  ALREADY_EXISTS(409),
  NOT_EMPTY(410),
  BAD_NAME(411),
  NO_SUCH_ACCOUNT(412),
  WEAK_PASSWORD(413),
  BAD_CREDENTIALS(414),
  LOCKED(415),
  /**
   * Refused for load, not for the request itself; the caller may try again later: the target is
   * being written by another transfer, a node holds its most open transfers, or the password
   * hashing queue is full.
   */
  BUSY(416),
  /** A chunk that does not start at the next expected offset, or passes the end. */
  BAD_OFFSET(417),
  /** The SHA-256 of the stored bytes is not the one the client declared. */
  CHECKSUM_MISMATCH(418),
  /** An open transfer handle is unknown to the node (closed, expired, or the node restarted). */
  NO_SUCH_HANDLE(419),
  /**
   * An upload tried to store more than its quota reservation allows (PROTOCOL.md s6): storage
   * refuses the chunk and stores nothing of it.
   */
  QUOTA_EXCEEDED(420),
  /** A new file or directory in a home that holds its most entries already (maxEntriesPerAccount). */
  TOO_MANY_ENTRIES(430),
  /**
   * A login from a client address that has made too many failed logins recently: refused
   * without checking the password, until that address's window has passed.
   */
  RATE_LIMITED(429),
  /**
   * A store the service needs cannot be reached now (the account database of a cluster is down or
   * unreachable); nothing was changed, and the same request may succeed in a moment.
   */
  UNAVAILABLE(503),
  /** The session token is missing, invalid or expired. */
  UNAUTHENTICATED(401),
  /** A request whose body does not have the shape of its action. */
  BAD_REQUEST(400),
  INTERNAL(500);

  private final int code;

  Failure(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public ReplyException exception() {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, name());
  }

  public ReplyException exception(String detail) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, name() + ": " + detail);
  }

  /** The failure a bus reply carried; {@link #INTERNAL} for anything else (time-outs, bugs). */
  public static Failure of(Throwable error) {
    if (error instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      for (Failure f : values()) {
        if (f.code == re.failureCode()) {
          return f;
        }
      }
    }
    return INTERNAL;
  }
}
