package dev.ferry.client.format;

/**
 * Text from the server made safe to print: a name or an answer with control characters (which a
 * well-behaved server never sends, PROTOCOL.md section 2) could otherwise move the cursor,
 * rewrite the screen or the window title (ESC and CSI sequences), or reorder what is shown
 * (bidirectional overrides). Each such character is shown as {@code ?}.
 */
public final class SafeText {

  private SafeText() {
  }

  public static String of(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> sb.appendCodePoint(isUnsafe(cp) ? '?' : cp));
    return sb.toString();
  }

  /** C0 and C1 controls (ESC, CSI, BEL...), DEL, and the bidirectional embeddings, overrides and isolates. */
  static boolean isUnsafe(int cp) {
    return Character.isISOControl(cp)
      || (cp >= 0x202A && cp <= 0x202E)
      || (cp >= 0x2066 && cp <= 0x2069)
      || cp == 0x200E || cp == 0x200F || cp == 0x061C;
  }
}
