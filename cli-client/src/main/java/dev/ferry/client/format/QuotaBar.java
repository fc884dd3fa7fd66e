package dev.ferry.client.format;

import java.util.Locale;

/** A small usage bar: {@code [######--------------]  30%}. */
public final class QuotaBar {

  public static final int WIDTH = 20;

  private QuotaBar() {
  }

  /** The bar for {@code used} of {@code limit} bytes; {@code limit} must be positive. */
  public static String of(long used, long limit) {
    double fraction = Math.min(1.0, Math.max(0.0, (double) used / limit));
    int filled = (int) Math.round(fraction * WIDTH);
    if (filled == 0 && used > 0) {
      filled = 1;
    }
    long percent = Math.round(100.0 * used / limit);
    return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + String.format(Locale.ROOT, "%3d%%", percent);
  }
}
