package dev.ferry.client.transfer;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * What a {@code get} or {@code put} shows while it runs, for all its lanes together: a
 * {@link Progress} per lane, the lines said between them (a failed file, a reconnect), and what
 * the whole command has to move. Thread-safe: each lane reports from its own thread.
 */
interface ProgressView {

  /** The progress of one more lane; each lane uses its own from one thread. */
  Progress lane();

  /** {@code bytes} more are to be moved (negative: fewer, a file that failed); for the total line. */
  void expect(long bytes);

  /** A line between the progress, such as a failed file. */
  void println(String line);

  /** Where the reconnectors say what they do; the same lines as {@link #println}. */
  PrintStream notices();

  /** The command is over: the display leaves the screen as it should stay. */
  void close();

  /**
   * One lane's or several lanes' plain progress (or {@link Progress#QUIET}) straight to a stream:
   * {@code lanes} gives each lane its own instance, as they keep state per phase.
   */
  static ProgressView simple(PrintStream err, Supplier<Progress> lanes) {
    return new ProgressView() {
      @Override
      public Progress lane() {
        return lanes.get();
      }

      @Override
      public void expect(long bytes) {
      }

      @Override
      public void println(String line) {
        err.println(line);
      }

      @Override
      public PrintStream notices() {
        return err;
      }

      @Override
      public void close() {
      }
    };
  }
}
