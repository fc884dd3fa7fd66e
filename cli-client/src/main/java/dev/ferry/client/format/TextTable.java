package dev.ferry.client.format;

import org.jline.utils.WCWidth;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with aligned columns. Widths count terminal cells, so names in Chinese
 * (two cells a character) still line up.
 */
public final class TextTable {

  private static final String GAP = "  ";

  private final boolean[] rightAligned;
  private final List<String[]> rows = new ArrayList<>();

  /** @param rightAligned one flag per column: numbers read best aligned to the right */
  public TextTable(boolean... rightAligned) {
    this.rightAligned = rightAligned.clone();
  }

  public TextTable row(String... cells) {
    if (cells.length != rightAligned.length) {
      throw new IllegalArgumentException("expected " + rightAligned.length + " cells, got " + cells.length);
    }
    rows.add(cells.clone());
    return this;
  }

  /** The table, one line per row, each ending with a newline; trailing spaces are trimmed. */
  public String render() {
    int[] widths = new int[rightAligned.length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], width(row[c]));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.length; c++) {
        if (c > 0) {
          line.append(GAP);
        }
        String pad = " ".repeat(widths[c] - width(row[c]));
        line.append(rightAligned[c] ? pad + row[c] : row[c] + pad);
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  /** Terminal cells taken by {@code s}; text is expected to have passed {@link SafeText#of}. */
  static int width(String s) {
    int cells = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      cells += Math.max(1, WCWidth.wcwidth(cp));
      i += Character.charCount(cp);
    }
    return cells;
  }
}
