package dev.ferry.gateway;

import dev.ferry.protocol.Replies;
import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.Failure;

import java.util.EnumMap;
import java.util.Map;

/**
 * Named domain failures translated to the wire, at the edge and nowhere else (SFTPGo style).
 * This is the table most commands share; a command with answers of its own overrides entries
 * through {@link CommandHandler#failureAnswers()}. Internal detail is never part of an answer.
 */
public final class FailureAnswers {

  /** Extension: a request failed for a reason the client cannot act on (details are logged). */
  public static final String ERROR = "ERROR";
  /** Extension: the wire name of {@link Failure#IS_A_DIRECTORY} where a command has no better one. */
  public static final String IS_A_DIRECTORY = "IS_A_DIRECTORY";

  private static final Map<Failure, String> DEFAULTS = new EnumMap<>(Failure.class);

  static {
    DEFAULTS.put(Failure.NO_PERMISSION, Replies.NO_PERMISSION);
    DEFAULTS.put(Failure.NOT_FOUND, Replies.NO_SUCH_PATH);
    DEFAULTS.put(Failure.NOT_A_DIRECTORY, Replies.NOT_A_DIRECTORY);
    DEFAULTS.put(Failure.IS_A_DIRECTORY, IS_A_DIRECTORY);
    DEFAULTS.put(Failure.ALREADY_EXISTS, Replies.ALREADY_EXISTS);
    DEFAULTS.put(Failure.NOT_EMPTY, Replies.NOT_EMPTY);
    DEFAULTS.put(Failure.BAD_NAME, Replies.BAD_NAME);
    // Extension: mkdir in a home that holds its most entries.
    DEFAULTS.put(Failure.TOO_MANY_ENTRIES, Replies.TOO_MANY_ENTRIES);
    DEFAULTS.put(Failure.NO_SUCH_ACCOUNT, Replies.LOGIN_NO_SUCH_ACCOUNT);
    DEFAULTS.put(Failure.WEAK_PASSWORD, Replies.WEAK_PASSWORD);
    DEFAULTS.put(Failure.BAD_CREDENTIALS, Replies.LOGIN_BAD_CREDENTIALS);
    DEFAULTS.put(Failure.LOCKED, Replies.LOGIN_LOCKED);
    DEFAULTS.put(Failure.UNAUTHENTICATED, Replies.NOT_LOGGED_IN);
    // Extension: refused for load (useradd and passwd when password hashing is saturated).
    DEFAULTS.put(Failure.BUSY, Replies.BUSY);
    // Extension: the account database of a cluster cannot be reached now; nothing was done.
    DEFAULTS.put(Failure.UNAVAILABLE, Replies.join(Replies.BUSY, Replies.BUSY_UNAVAILABLE));
  }

  private FailureAnswers() {
  }

  /** The named failure behind an error: a forbidden path name, or what a service replied. */
  public static Failure classify(Throwable error) {
    if (error instanceof VirtualPath.BadNameException) {
      return Failure.BAD_NAME;
    }
    return Failure.of(error);
  }

  /** The wire answer to {@code failure}: the command's own, else the shared table, else ERROR. */
  public static String answer(Failure failure, Map<Failure, String> overrides) {
    String own = overrides.get(failure);
    if (own != null) {
      return own;
    }
    return DEFAULTS.getOrDefault(failure, ERROR);
  }
}
