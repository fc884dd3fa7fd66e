package dev.ferry.client.transfer;

import dev.ferry.client.Messages;
import dev.ferry.client.format.SafeText;
import dev.ferry.client.format.Sizes;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress for a log or a pipe: no bar, no carriage returns, a line every few seconds
 * ({@code a.bin 45% 12.0 MiB/26.7 MiB 85.2 MiB/s}) and a summary when a transfer completes
 * ({@code a.bin 100% 26.7 MiB 85.2 MiB/s in 0.3 s}).
 */
public final class PlainProgress implements Progress {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
  /** Rates over shorter spans mean nothing; a transfer quicker than this is shown at this speed. */
  private static final long MIN_ELAPSED_NANOS = 1_000_000;

  private final PrintStream out;
  private final Messages messages;
  private final LongSupplier nanoClock;
  private final long intervalNanos;

  private String label;
  private Phase phase;
  private long total;
  private long startDone;
  private long done;
  private long startNanos;
  private long lastLineNanos;

  /**
   * @param nanoClock {@link System#nanoTime} outside tests
   * @param interval  time between two lines of one phase
   */
  public PlainProgress(PrintStream out, Messages messages, LongSupplier nanoClock, Duration interval) {
    this.out = out;
    this.messages = messages;
    this.nanoClock = nanoClock;
    this.intervalNanos = interval.toNanos();
  }

  @Override
  public void begin(String name, Phase phase, long total, long done) {
    this.phase = phase;
    this.label = phase == Phase.CHECKSUM ? messages.get("progress.checksum", SafeText.of(name)) : SafeText.of(name);
    this.total = total;
    this.startDone = done;
    this.done = done;
    this.startNanos = nanoClock.getAsLong();
    this.lastLineNanos = startNanos;
  }

  @Override
  public void update(long done) {
    this.done = done;
    long now = nanoClock.getAsLong();
    // At 100% the summary (or the next phase) follows at once: a line would only repeat it.
    if (now - lastLineNanos >= intervalNanos && done < total) {
      lastLineNanos = now;
      out.println(messages.get("progress.line", label, Integer.toString(percent(done, total)), Sizes.human(done), Sizes.human(total),
        rate(done - startDone, now - startNanos)));
    }
  }

  /** Only a completed transfer gets a summary: a checksum is a step towards one, not a result. */
  @Override
  public void end(boolean completed) {
    if (!completed || phase != Phase.TRANSFER) {
      return;
    }
    long elapsed = nanoClock.getAsLong() - startNanos;
    out.println(messages.get("progress.done", label, Sizes.human(total), rate(total - startDone, elapsed), duration(elapsed)));
  }

  static int percent(long done, long total) {
    return total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
  }

  /** {@code 85.2 MiB/s}. */
  static String rate(long bytes, long nanos) {
    double seconds = Math.max(nanos, MIN_ELAPSED_NANOS) / 1e9;
    return Sizes.human(Math.round(bytes / seconds)) + "/s";
  }

  /** {@code 0.3 s}, {@code 59.9 s}, {@code 2:05}, {@code 1:02:05}. */
  static String duration(long nanos) {
    double seconds = nanos / 1e9;
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1f s", seconds);
    }
    long whole = (long) seconds;
    long hours = whole / 3600;
    long minutes = whole / 60 % 60;
    long secs = whole % 60;
    return hours > 0
      ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, secs)
      : String.format(Locale.ROOT, "%d:%02d", minutes, secs);
  }
}
