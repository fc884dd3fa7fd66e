package dev.ferry.client.shell;

import dev.ferry.client.Prompter;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.nio.file.Path;

/** A person at a terminal: JLine line editing, history in a file, tab completion, hidden secrets. */
public final class TerminalPrompter implements Prompter {

  private static final System.Logger LOG = System.getLogger(TerminalPrompter.class.getName());
  private static final int DEFAULT_WIDTH = 80;

  private final Terminal terminal;
  private final LineReader reader;
  private volatile Completer completer = (reader, line, candidates) -> { };

  /** @param historyFile where the history is kept, or null for none (one-shot commands) */
  public TerminalPrompter(Terminal terminal, Path historyFile) {
    this.terminal = terminal;
    LineReaderBuilder builder = LineReaderBuilder.builder()
      .terminal(terminal)
      .appName("ferry")
      .history(new ShellHistory())
      .completer((reader, line, candidates) -> completer.complete(reader, line, candidates))
      // "!" in a file name or password must stay a "!", not a history reference.
      .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
    if (historyFile != null) {
      builder.variable(LineReader.HISTORY_FILE, historyFile);
    }
    this.reader = builder.build();
  }

  /** The terminal this process runs in. */
  public static TerminalPrompter system(Path historyFile) throws IOException {
    return new TerminalPrompter(TerminalBuilder.builder().system(true).build(), historyFile);
  }

  /** Columns of the terminal, for progress bars; 80 when the terminal does not say. */
  public int width() {
    int width = terminal.getWidth();
    return width > 0 ? width : DEFAULT_WIDTH;
  }

  /**
   * While a transfer runs no line is being read, so Ctrl-C would end the JVM: the handler takes
   * it instead (the transfer then stops cleanly, keeping what arrived), until closed.
   */
  @Override
  public Registration onInterrupt(Runnable handler) {
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> handler.run());
    return () -> terminal.handle(Terminal.Signal.INT, previous);
  }

  /** Completion starts once there is a session to ask for remote names. */
  public void completeWith(Completer completer) {
    this.completer = completer;
  }

  @Override
  public boolean interactive() {
    return true;
  }

  /** Ctrl-C abandons the line being typed (an empty line); Ctrl-D ends the input. */
  @Override
  public String readLine(String prompt) {
    try {
      return reader.readLine(prompt);
    } catch (UserInterruptException e) {
      return "";
    } catch (EndOfFileException e) {
      return null;
    }
  }

  @Override
  public String ask(String prompt) {
    reader.setVariable(LineReader.DISABLE_HISTORY, true);
    try {
      return readLine(prompt);
    } finally {
      reader.setVariable(LineReader.DISABLE_HISTORY, false);
    }
  }

  /** Nothing is echoed, not even stars: the length of a password is a secret too. */
  @Override
  public String readSecret(String prompt) {
    try {
      return reader.readLine(prompt, LineReaderImpl.NULL_MASK);
    } catch (UserInterruptException | EndOfFileException e) {
      return null;
    }
  }

  @Override
  public void close() {
    try {
      reader.getHistory().save();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "history not saved", e);
    }
    try {
      terminal.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "terminal not closed cleanly", e);
    }
  }
}
