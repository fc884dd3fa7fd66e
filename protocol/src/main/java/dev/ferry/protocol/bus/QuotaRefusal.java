package dev.ferry.protocol.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link Failure#QUOTA_EXCEEDED} that says what the account holds: {@code used} (usage plus the
 * live reservations of its other uploads) and its {@code limit}, which a front door reports to
 * its client (PROTOCOL.md s5, {@code NOT_READY*QUOTA_EXCEEDED*<used>*<limit>}). Carried in the
 * failure's message as {@code QUOTA_EXCEEDED: used=<used> limit=<limit>}.
 */
public record QuotaRefusal(long used, long limit) {

  private static final Pattern MESSAGE = Pattern.compile(Failure.QUOTA_EXCEEDED.name() + ": used=([0-9]{1,19}) limit=([0-9]{1,19})");

  public ReplyException exception() {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Failure.QUOTA_EXCEEDED.code(),
      Failure.QUOTA_EXCEEDED.name() + ": used=" + used + " limit=" + limit);
  }

  /** The refusal a failed request carried; empty for any other failure. */
  public static Optional<QuotaRefusal> of(Throwable error) {
    if (Failure.of(error) != Failure.QUOTA_EXCEEDED || error.getMessage() == null) {
      return Optional.empty();
    }
    Matcher m = MESSAGE.matcher(error.getMessage());
    try {
      return m.matches() ? Optional.of(new QuotaRefusal(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))))
        : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
