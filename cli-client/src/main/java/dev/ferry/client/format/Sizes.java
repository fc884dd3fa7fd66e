package dev.ferry.client.format;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte counts for people: {@code 1.5 MiB} out, {@code 1.5M}, {@code 1.5MiB} or {@code 1572864} in. */
public final class Sizes {

  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  private static final Pattern INPUT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGTP]?)(?:i?B)?", Pattern.CASE_INSENSITIVE);

  private Sizes() {
  }

  /** Binary units with one decimal: {@code 0 B}, {@code 999 B}, {@code 1.0 KiB}, {@code 2.5 GiB}. */
  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    if (value >= 1023.95 && unit < UNITS.length - 1) {
      // 1023.96 KiB would print as "1024.0 KiB"
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }

  /**
   * Parses a byte count typed by a user: digits with an optional binary unit
   * ({@code K}, {@code M}, {@code G}, {@code T}, {@code P}, each 1024 times the last).
   *
   * @throws IllegalArgumentException if it is not one, or is too large
   */
  public static long parse(String text) {
    Matcher m = INPUT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: " + text);
    }
    String unit = m.group(2).toUpperCase(Locale.ROOT);
    int power = unit.isEmpty() ? 0 : "KMGTP".indexOf(unit) + 1;
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
    try {
      return bytes.setScale(0, RoundingMode.CEILING).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("size too large: " + text, e);
    }
  }
}
