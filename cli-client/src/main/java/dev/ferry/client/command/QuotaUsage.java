package dev.ferry.client.command;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An account's disk usage and limit in bytes, as {@code quota} and {@code recount} answer them:
 * {@code <used bytes>*<limit bytes>}, "limit {@code 0} = unlimited" (PROTOCOL.md section 3).
 */
public record QuotaUsage(long used, long limit) {

  /** At most 18 digits each: every such number fits a long, so a hostile answer cannot overflow it. */
  private static final Pattern ANSWER = Pattern.compile("(\\d{1,18})\\*(\\d{1,18})");

  /** The usage in a server answer, or empty for any other answer (a refusal such as {@code 0}). */
  public static Optional<QuotaUsage> parse(String answer) {
    Matcher m = ANSWER.matcher(answer);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new QuotaUsage(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
  }

  public boolean unlimited() {
    return limit <= 0;
  }
}
