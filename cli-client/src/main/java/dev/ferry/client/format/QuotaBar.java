package dev.ferry.client.format;

import java.math.BigInteger;

/**
 * How full a quota is: a whole percentage ({@code 32%}) and a bar of {@link #WIDTH} cells
 * ({@code [██████░░░░░░░░░░░░░░]}) for a terminal. Both round down, so {@code 100%} and a full
 * bar mean the limit is really reached; a usage above the limit (a limit lowered below it)
 * shows above 100% with the bar full.
 */
public final class QuotaBar {

  public static final int WIDTH = 20;
  /** U+2588 FULL BLOCK and U+2591 LIGHT SHADE: one cell each on every terminal font. */
  static final char USED = '\u2588';
  static final char FREE = '\u2591';

  private QuotaBar() {
  }

  /** Whole percent of {@code limit} used, rounded down; {@code limit} must be positive. */
  public static long percent(long used, long limit) {
    return share(used, limit, 100);
  }

  /** {@code 32%}. */
  public static String percentText(long used, long limit) {
    return percent(used, limit) + "%";
  }

  /**
   * The bar for {@code used} of {@code limit} bytes; {@code limit} must be positive. Any usage
   * at all fills at least one cell, so a nearly empty quota does not look unused.
   */
  public static String of(long used, long limit) {
    int filled = (int) Math.min(WIDTH, share(used, limit, WIDTH));
    if (filled == 0 && used > 0) {
      filled = 1;
    }
    return "[" + String.valueOf(USED).repeat(filled) + String.valueOf(FREE).repeat(WIDTH - filled) + "]";
  }

  /** {@code floor(used * scale / limit)}, exact for any byte counts (the product may pass a long). */
  private static long share(long used, long limit, int scale) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    BigInteger share = BigInteger.valueOf(Math.max(0, used)).multiply(BigInteger.valueOf(scale))
      .divide(BigInteger.valueOf(limit));
    return share.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
  }
}
