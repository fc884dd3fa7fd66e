package dev.ferry.client.transfer;

import dev.ferry.client.format.Sizes;
import dev.ferry.protocol.Replies;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The upload answers of PROTOCOL.md section 5 that end an upload, in plain words: a refusal
 * before any byte ({@code NOT_READY*<reason>}) and a failure after
 * ({@code FAILE*<stored>*<reason>}).
 */
final class UploadAnswers {

  private static final Pattern QUOTA = Pattern.compile(Pattern.quote(Replies.QUOTA_EXCEEDED) + "\\*(\\d+)\\*(\\d+)");

  private UploadAnswers() {
  }

  /** {@code NOT_READY*<reason>}: QUOTA_EXCEEDED*used*limit, NO_PERMISSION, NO_SUCH_DIR, BAD_NAME, IS_A_DIRECTORY, BUSY. */
  static TransferException notReady(String reason, long size, String dir) {
    Matcher quota = QUOTA.matcher(reason);
    if (quota.matches()) {
      long used = Long.parseLong(quota.group(1));
      long limit = Long.parseLong(quota.group(2));
      return new TransferException("put.quota", Sizes.human(used), Sizes.human(limit), Sizes.human(size));
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

  /** {@code FAILE*<stored>*<reason>}: CHECKSUM_MISMATCH, BAD_OFFSET, ABORTED, QUOTA_EXCEEDED, ERROR. */
  static TransferException failed(String data) {
    String[] fields = data.split(Pattern.quote(Replies.SEP), 3);
    String reason = fields.length > 2 ? fields[2] : data;
    if (reason.startsWith(Replies.QUOTA_EXCEEDED)) {
      return new TransferException("put.failed-quota");
    }
    return switch (reason) {
      case Replies.CHECKSUM_MISMATCH -> new TransferException("put.failed-checksum");
      case Replies.BAD_OFFSET -> new TransferException("put.failed-offset");
      case Replies.ABORTED -> new TransferException("put.failed-aborted");
      case "ERROR" -> new TransferException("reply.error");
      default -> new TransferException("put.failed", data);
    };
  }
}
