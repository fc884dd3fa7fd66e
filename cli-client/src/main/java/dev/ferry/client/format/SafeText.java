package dev.ferry.client.format;

/**
 * Text from the server made safe to print: a name with control characters (which a
 * well-behaved server never sends, PROTOCOL.md section 2) could otherwise move the cursor or
 * rewrite the screen.
 */
public final class SafeText {

  private SafeText() {
  }

  public static String of(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> sb.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return sb.toString();
  }
}
