package dev.ferry.client.transfer;

import dev.ferry.client.Messages;
import dev.ferry.client.format.SafeText;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * A progress bar on a terminal (me.tongfei progressbar): name, percentage, bar, bytes, rate
 * and the time left, redrawn in place. The width comes from the JLine terminal the shell already
 * has, so the library never opens a terminal of its own. A checksum bar is wiped when it ends
 * and the transfer's bar takes its line; only the transfer's bar stays on the screen.
 */
public final class BarProgress implements Progress {

  private static final int UPDATE_MILLIS = 200;
  private static final long KIB = 1024;

  private final PrintStream out;
  private final Messages messages;
  private final IntSupplier width;
  private ProgressBar bar;

  /** @param width the terminal's columns, asked at each phase (the window may have been resized) */
  public BarProgress(PrintStream out, Messages messages, IntSupplier width) {
    this.out = out;
    this.messages = messages;
    this.width = width;
  }

  @Override
  public void begin(String name, Phase phase, long total, long done) {
    end(false);
    long unit = unitFor(total);
    ProgressBarBuilder builder = new ProgressBarBuilder()
      .setTaskName(phase == Phase.CHECKSUM ? messages.get("progress.checksum", SafeText.of(name)) : SafeText.of(name))
      .setInitialMax(total)
      .startsFrom(done, Duration.ZERO)
      .setStyle(ProgressBarStyle.ASCII)
      .setUnit(unitName(unit), unit)
      .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
      .setUpdateIntervalMillis(UPDATE_MILLIS)
      .setConsumer(new Line(out, width.getAsInt() - 1, phase == Phase.TRANSFER));
    bar = builder.build();
  }

  @Override
  public void update(long done) {
    if (bar != null) {
      bar.stepTo(done);
    }
  }

  @Override
  public void end(boolean completed) {
    if (bar == null) {
      return;
    }
    if (completed) {
      bar.stepTo(bar.getMax());
    }
    bar.close();
    bar = null;
  }

  /**
   * One line redrawn in place with a carriage return. When a bar closes its line either stays
   * (the transfer's result) or is wiped for the next bar.
   */
  private static final class Line implements ProgressBarConsumer {

    private final PrintStream out;
    private final int width;
    private final boolean keep;

    Line(PrintStream out, int width, boolean keep) {
      this.out = out;
      this.width = width;
      this.keep = keep;
    }

    @Override
    public int getMaxRenderedLength() {
      return width;
    }

    @Override
    public void accept(String rendered) {
      // The renderer fits the bar to the width; a long name on a narrow terminal may still pass it.
      out.print('\r' + (rendered.length() > width ? rendered.substring(0, Math.max(0, width)) : rendered));
      out.flush();
    }

    @Override
    public void close() {
      out.print(keep ? "\n" : "\r" + " ".repeat(width) + "\r");
      out.flush();
    }
  }

  /** The largest binary unit the total reaches, so the bar's whole-number counts mean something. */
  static long unitFor(long total) {
    long unit = 1;
    while (unit < (1L << 40) && total >= unit * KIB) {
      unit *= KIB;
    }
    return unit;
  }

  static String unitName(long unit) {
    return switch (Long.numberOfTrailingZeros(unit) / 10) {
      case 0 -> "B";
      case 1 -> "KiB";
      case 2 -> "MiB";
      case 3 -> "GiB";
      default -> "TiB";
    };
  }
}
