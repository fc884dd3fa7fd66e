package dev.ferry.client.shell;

import dev.ferry.client.UsageException;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a shell line into words like a POSIX shell does, minus expansions: blanks separate
 * words, {@code '...'} keeps everything literally, {@code "..."} keeps blanks and honours
 * {@code \"} and {@code \\}, and a backslash outside quotes escapes the next character. So
 * {@code mkdir "my docs"} and {@code mkdir my\ docs} both make one directory.
 */
public final class Words {

  private Words() {
  }

  public static List<String> split(String line) throws UsageException {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quote == '\'') {
        if (ch == '\'') {
          quote = 0;
        } else {
          word.append(ch);
        }
      } else if (quote == '"') {
        if (ch == '"') {
          quote = 0;
        } else if (ch == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
          word.append(line.charAt(++i));
        } else {
          word.append(ch);
        }
      } else if (Character.isWhitespace(ch)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        inWord = true;
        if (ch == '\'' || ch == '"') {
          quote = ch;
        } else if (ch == '\\' && i + 1 < line.length()) {
          word.append(line.charAt(++i));
        } else {
          word.append(ch);
        }
      }
    }
    if (quote != 0) {
      throw new UsageException("line.unclosed-quote");
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
