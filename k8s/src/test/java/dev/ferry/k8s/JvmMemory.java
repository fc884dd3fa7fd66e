package dev.ferry.k8s;

import java.util.Locale;

/**
 * The heap and direct-buffer ceilings a HotSpot JVM takes from its options in a container with
 * a memory limit: {@code -Xmx} or {@code -XX:MaxRAMPercentage} (default a quarter of the limit);
 * {@code -XX:MaxDirectMemorySize}, which defaults to the heap's ceiling.
 */
record JvmMemory(long heap, long direct, boolean explicitHeap) {

  static JvmMemory of(String options, long limitBytes) {
    Long xmx = null;
    Double percentage = null;
    Long direct = null;
    for (String option : options.trim().split("\\s+")) {
      if (option.startsWith("-Xmx")) {
        xmx = bytes(option.substring(4));
      } else if (option.startsWith("-XX:MaxRAMPercentage=")) {
        percentage = Double.parseDouble(option.substring(option.indexOf('=') + 1));
      } else if (option.startsWith("-XX:MaxDirectMemorySize=")) {
        direct = bytes(option.substring(option.indexOf('=') + 1));
      }
    }
    long heap = xmx != null ? xmx : (long) (limitBytes * (percentage != null ? percentage : 25.0) / 100);
    return new JvmMemory(heap, direct != null ? direct : heap, xmx != null || percentage != null);
  }

  /** {@code 512m}, {@code 1g}, {@code 65536k}, or plain bytes. */
  static long bytes(String size) {
    String text = size.toLowerCase(Locale.ROOT);
    char unit = text.charAt(text.length() - 1);
    long factor = switch (unit) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      case 't' -> 1L << 40;
      default -> 1;
    };
    return Long.parseLong(factor == 1 ? text : text.substring(0, text.length() - 1)) * factor;
  }
}
