package dev.ferry.client.transfer;

import dev.ferry.client.Messages;
import dev.ferry.client.format.SafeText;
import dev.ferry.client.format.Sizes;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Progress of several files at once on a terminal: a line per file moving, then a total line
 * (files done, bytes, rate, time left), redrawn in place with ANSI cursor moves. A file that
 * completes leaves its summary line above the block, as {@link BarProgress} leaves its bar, and
 * so do the lines said meanwhile (a failed file, a reconnect). Redrawn at most every
 * {@value #REDRAW_MILLIS} ms while bytes move. Thread-safe: every lane reports from its own
 * thread, and all drawing happens under this object's lock.
 */
final class MultiProgress implements ProgressView {

  static final long REDRAW_MILLIS = 200;
  private static final int BAR_WIDTH = 20;
  private static final String UP = "\033[%dA";
  private static final String CLEAR_LINE = "\033[2K";

  private final PrintStream out;
  private final Messages messages;
  private final IntSupplier width;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private final List<Slot> slots = new ArrayList<>();
  private final PrintStream notices;
  /** Lines to print above the block at the next redraw. */
  private final List<String> above = new ArrayList<>();
  private long expected;
  private long finishedBytes;
  private long finishedMoved;
  private int filesDone;
  private int drawnLines;
  private long lastDrawNanos;
  private boolean closed;

  /**
   * @param width     the terminal's columns, asked at each redraw (the window may be resized)
   * @param nanoClock {@link System#nanoTime} outside tests
   */
  MultiProgress(PrintStream out, Messages messages, IntSupplier width, LongSupplier nanoClock) {
    this.out = out;
    this.messages = messages;
    this.width = width;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    this.notices = new PrintStream(new LineSink(this::println), true, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized Progress lane() {
    Slot slot = new Slot();
    slots.add(slot);
    return slot;
  }

  @Override
  public synchronized void expect(long bytes) {
    expected += bytes;
  }

  /** A lane starts a file of {@code size} bytes, or of a size not known yet ({@code -1}). */
  synchronized void fileStarts(Progress lane, long size) {
    if (lane instanceof Slot slot) {
      slot.counted = size;
    }
  }

  /** A lane's file failed: its bytes will not come. */
  synchronized void fileFailed(Progress lane) {
    if (lane instanceof Slot slot && slot.counted > 0) {
      expected -= slot.counted;
      slot.counted = 0;
    }
  }

  @Override
  public synchronized void println(String line) {
    above.add(line);
    redraw();
  }

  @Override
  public PrintStream notices() {
    return notices;
  }

  @Override
  public synchronized void close() {
    redraw();
    closed = true;
    drawnLines = 0;
  }

  /** One lane's line: the phase it is in, if any. */
  private final class Slot implements Progress {
    private String label;
    private Phase phase;
    private long total;
    private long startDone;
    private long done;
    private long phaseStartNanos;
    /** Bytes of the lane's current file counted in {@link #expected}; -1 before its size is known. */
    private long counted = -1;

    @Override
    public void begin(String name, Phase phase, long total, long done) {
      synchronized (MultiProgress.this) {
        this.phase = phase;
        this.label = phase == Phase.CHECKSUM ? messages.get("progress.checksum", SafeText.of(name)) : SafeText.of(name);
        this.total = total;
        this.startDone = done;
        this.done = done;
        this.phaseStartNanos = nanoClock.getAsLong();
        if (phase == Phase.TRANSFER && counted != total) {
          // Sized at its start (a top-level download), or the file changed since it was listed.
          expected += total - Math.max(counted, 0);
          counted = total;
        }
        redraw();
      }
    }

    @Override
    public void update(long done) {
      synchronized (MultiProgress.this) {
        this.done = done;
        if (nanoClock.getAsLong() - lastDrawNanos >= REDRAW_MILLIS * 1_000_000) {
          redraw();
        }
      }
    }

    @Override
    public void end(boolean completed) {
      synchronized (MultiProgress.this) {
        if (phase == Phase.TRANSFER && completed) {
          long elapsed = nanoClock.getAsLong() - phaseStartNanos;
          finishedBytes += total;
          finishedMoved += total - startDone;
          filesDone++;
          counted = -1;
          above.add(messages.get("progress.done", label, Sizes.human(total), PlainProgress.rate(total - startDone, elapsed),
            PlainProgress.duration(elapsed)));
        }
        phase = null;
        redraw();
      }
    }

    private String line(long now) {
      int percent = PlainProgress.percent(done, total);
      int filled = percent * BAR_WIDTH / 100;
      String bar = "[" + "=".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "]";
      return label + " " + bar + " " + messages.get("progress.line", "", Integer.toString(percent), Sizes.human(done),
        Sizes.human(total), PlainProgress.rate(done - startDone, now - phaseStartNanos)).trim();
    }
  }

  /** Draws the lines said since the last redraw, then the block of moving files and the total. */
  private void redraw() {
    if (closed) {
      // After the command: nothing is drawn in place any more.
      above.forEach(out::println);
      above.clear();
      return;
    }
    long now = nanoClock.getAsLong();
    lastDrawNanos = now;
    int columns = Math.max(20, width.getAsInt() - 1);
    StringBuilder screen = new StringBuilder();
    if (drawnLines > 0) {
      screen.append('\r').append(String.format(UP, drawnLines));
    }
    for (String line : above) {
      screen.append(CLEAR_LINE).append(line).append('\n');
    }
    above.clear();
    List<String> block = new ArrayList<>();
    long activeDone = 0;
    long activeMoved = 0;
    for (Slot slot : slots) {
      if (slot.phase != null) {
        block.add(fit(slot.line(now), columns));
        if (slot.phase == Progress.Phase.TRANSFER) {
          activeDone += slot.done;
          activeMoved += slot.done - slot.startDone;
        }
      }
    }
    block.add(fit(total(now, finishedBytes + activeDone, finishedMoved + activeMoved), columns));
    for (String line : block) {
      screen.append(CLEAR_LINE).append(line).append('\n');
    }
    // Lines of a taller block drawn before: wiped, and the cursor back below the new block.
    int stale = drawnLines - block.size();
    for (int i = 0; i < stale; i++) {
      screen.append(CLEAR_LINE).append('\n');
    }
    if (stale > 0) {
      screen.append(String.format(UP, stale));
    }
    drawnLines = block.size();
    out.print(screen);
    out.flush();
  }

  private String total(long now, long doneBytes, long moved) {
    long elapsed = now - startNanos;
    long all = Math.max(expected, doneBytes);
    String eta = "-";
    if (moved > 0 && all > doneBytes) {
      double seconds = Math.max(elapsed, 1) / 1e9;
      eta = PlainProgress.duration((long) ((all - doneBytes) / (moved / seconds) * 1e9));
    } else if (all == doneBytes) {
      eta = PlainProgress.duration(0);
    }
    return messages.get("progress.total", Integer.toString(filesDone), Integer.toString(PlainProgress.percent(doneBytes, all)),
      Sizes.human(doneBytes), Sizes.human(all), PlainProgress.rate(moved, elapsed), eta);
  }

  private static String fit(String line, int columns) {
    return line.length() > columns ? line.substring(0, columns) : line;
  }

  /** Collects bytes into lines and hands each whole line on. */
  private static final class LineSink extends OutputStream {
    private final Consumer<String> lines;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LineSink(Consumer<String> lines) {
      this.lines = lines;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines.accept(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
      } else if (b != '\r' && pending.size() < 64 * 1024) {
        pending.write(b);
      }
    }
  }
}
