package dev.ferry.client.shell;

import dev.ferry.client.UsageException;
import org.jline.reader.impl.history.DefaultHistory;

import java.time.Instant;
import java.util.List;

/**
 * The shell's history, kept in {@code <configDir>/history}, minus lines that carry a password
 * ({@code useradd} with its fourth argument) and lines typed with a leading blank (as bash's
 * {@code ignorespace}): a password must not end up in a file.
 */
final class ShellHistory extends DefaultHistory {

  @Override
  public void add(Instant time, String line) {
    if (!isSecret(line)) {
      super.add(time, line);
    }
  }

  static boolean isSecret(String line) {
    if (line.startsWith(" ")) {
      return true;
    }
    try {
      List<String> words = Words.split(line.strip().startsWith("-") ? line.strip().substring(1) : line);
      return words.size() >= 5 && words.get(0).equals("useradd");
    } catch (UsageException e) {
      return true;
    }
  }
}
