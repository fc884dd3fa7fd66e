package dev.ferry.client;

import java.io.Closeable;

/**
 * Where lines typed by the user come from: a terminal (JLine, with editing, history and
 * completion) or a pipe (one line after another, nothing echoed, no prompts printed).
 */
public interface Prompter extends Closeable {

  /** Whether a person is typing: then questions are asked; otherwise safe defaults apply. */
  boolean interactive();

  /** The next line, or null at the end of input (or when input cannot be read). */
  String readLine(String prompt);

  /** The answer to a question (such as "trust this server?"): read like a line, but kept out of the history. */
  default String ask(String prompt) {
    return readLine(prompt);
  }

  /** A secret, not echoed on a terminal; from a pipe simply the next line. Null at the end of input. */
  String readSecret(String prompt);

  /**
   * Runs {@code handler} on each Ctrl-C until the returned registration is closed, instead of
   * ending the process. Only a terminal has a Ctrl-C of its own; from a pipe this does nothing
   * and Ctrl-C ends the process as usual (what was transferred stays resumable either way).
   */
  default Registration onInterrupt(Runnable handler) {
    return () -> { };
  }

  /** Undoes {@link #onInterrupt}. */
  @FunctionalInterface
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  @Override
  default void close() {
  }
}
