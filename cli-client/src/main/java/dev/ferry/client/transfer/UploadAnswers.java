package dev.ferry.client.transfer;

import dev.ferry.client.command.QuotaUsage;
import dev.ferry.client.format.SafeText;
import dev.ferry.client.format.Sizes;
import dev.ferry.protocol.Replies;

import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The upload answers of PROTOCOL.md section 5 that end an upload, in plain words: a refusal
 * before any byte ({@code NOT_READY*<reason>}) and a failure after
 * ({@code FAILE*<stored>*<reason>}). Each is a {@link TransferException}: the command fails
 * (exit code 1) and the reconnector does not try it again, as another try would meet the
 * same answer. The exception is {@code FAILE*<stored>*ERROR} ({@link #serverFailed}): the
 * server's storage failed, and another try may go through.
 */
final class UploadAnswers {

  /**
   * {@code QUOTA_EXCEEDED}, with {@code *<used>*<limit>} after it when the answer says them.
   * At most 18 digits each, so any match fits a long.
   */
  private static final Pattern QUOTA =
    Pattern.compile(Pattern.quote(Replies.QUOTA_EXCEEDED) + "(?:\\*(\\d{1,18})\\*(\\d{1,18}))?");
  private static final Pattern FAILED = Pattern.compile(Pattern.quote(Replies.FAILE) + "\\*(\\d{1,18})\\*(.*)", Pattern.DOTALL);

  /**
   * The account an upload counts against: the owner of its target path (PROTOCOL.md section 6,
   * the home it lands in).
   *
   * @param other the account when it is not the session's own (an admin writing into a user's
   *              home), named in the message; null when it is the session's own
   * @param usage asks the server for that account's usage, for an answer that does not carry
   *              it; empty when the server cannot say
   */
  record Charge(String other, Supplier<Optional<QuotaUsage>> usage) {

    /** The session's own account, its usage unknown: for answers that carry what they need. */
    static final Charge OWN = new Charge(null, Optional::empty);
  }

  private UploadAnswers() {
  }

  /**
   * {@code NOT_READY*<reason>}: QUOTA_EXCEEDED*used*limit, NO_PERMISSION, NO_SUCH_DIR, BAD_NAME,
   * IS_A_DIRECTORY, BUSY.
   */
  static TransferException notReady(String reason, long size, String dir, Charge charge) {
    Matcher quota = QUOTA.matcher(reason);
    if (quota.matches()) {
      // "if usage plus all reservations would pass the limit it answers
      // NOT_READY*QUOTA_EXCEEDED*<used>*<limit>" (PROTOCOL.md section 6)
      Optional<QuotaUsage> usage = usage(quota, charge);
      if (usage.isEmpty()) {
        return new TransferException("put.quota-unknown", Sizes.human(size));
      }
      Object[] args = {Sizes.human(usage.get().used()), Sizes.human(usage.get().limit()), Sizes.human(size), whose(charge)};
      return new TransferException(charge.other() == null ? "put.quota" : "put.quota-of", args);
    }
    return switch (reason) {
      case Replies.NO_PERMISSION_REASON -> new TransferException("put.no-permission", dir);
      case Replies.NO_SUCH_DIR -> new TransferException("put.no-such-dir", dir);
      case Replies.BAD_NAME -> new TransferException("reply.bad-name");
      case Replies.IS_A_DIRECTORY -> new TransferException("put.remote-directory", dir);
      case Replies.BUSY -> new TransferException("put.busy");
      default -> new TransferException("put.not-ready", reason);
    };
  }

  /**
   * {@code FAILE*<stored>*ERROR}: the server could not go on for an internal reason (issue 5: the
   * storage node holding the upload went away). Its partial data is kept, so this is a
   * {@link ServerFailureException} to try again rather than an answer of {@link #failed}.
   */
  static boolean serverFailed(String data) {
    Matcher failed = FAILED.matcher(data);
    return failed.matches() && failed.group(2).equals(ServerFailureException.ERROR);
  }

  /**
   * {@code FAILE*<stored>*<reason>}: CHECKSUM_MISMATCH, BAD_OFFSET, ABORTED, QUOTA_EXCEEDED (storage
   * stopped a write past the upload's reservation; what was stored stays, resumable), ERROR.
   */
  static TransferException failed(String data, Charge charge) {
    Matcher failed = FAILED.matcher(data);
    if (!failed.matches()) {
      return new TransferException("put.failed", data);
    }
    String stored = Sizes.human(Long.parseLong(failed.group(1)));
    String reason = failed.group(2);
    Matcher quota = QUOTA.matcher(reason);
    if (quota.matches()) {
      Optional<QuotaUsage> usage = usage(quota, charge);
      if (usage.isEmpty()) {
        return new TransferException("put.failed-quota-unknown", stored);
      }
      Object[] args = {Sizes.human(usage.get().used()), Sizes.human(usage.get().limit()), stored, whose(charge)};
      return new TransferException(charge.other() == null ? "put.failed-quota" : "put.failed-quota-of", args);
    }
    return switch (reason) {
      case Replies.CHECKSUM_MISMATCH -> new TransferException("put.failed-checksum");
      case Replies.BAD_OFFSET -> new TransferException("put.failed-offset");
      case Replies.ABORTED -> new TransferException("put.failed-aborted");
      case "ERROR" -> new TransferException("reply.error");
      default -> new TransferException("put.failed", data);
    };
  }

  /**
   * The used and limit the answer carries, else what the server says when asked; empty when
   * neither says, or says there is no limit (then the numbers would explain nothing).
   */
  private static Optional<QuotaUsage> usage(Matcher quota, Charge charge) {
    Optional<QuotaUsage> usage = quota.group(1) != null
      ? Optional.of(new QuotaUsage(Long.parseLong(quota.group(1)), Long.parseLong(quota.group(2))))
      : charge.usage().get();
    return usage.filter(u -> !u.unlimited());
  }

  private static String whose(Charge charge) {
    return charge.other() == null ? "" : SafeText.of(charge.other());
  }
}
