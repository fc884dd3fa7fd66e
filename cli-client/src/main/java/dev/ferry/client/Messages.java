package dev.ferry.client;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Every text the user reads, from the {@code messages} bundles (English in
 * {@code messages.properties}, Chinese in {@code messages_zh.properties}, both UTF-8).
 * Values are {@link MessageFormat} patterns: a literal apostrophe is written {@code ''}.
 */
public final class Messages {

  public static final String BUNDLE = "dev.ferry.client.messages";

  /** Fall back to the base (English) bundle, never to the JVM's default locale. */
  private static final ResourceBundle.Control NO_FALLBACK =
    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

  private final ResourceBundle bundle;
  private final Locale locale;

  private Messages(ResourceBundle bundle, Locale locale) {
    this.bundle = bundle;
    this.locale = locale;
  }

  public static Messages forLocale(Locale locale) {
    return new Messages(ResourceBundle.getBundle(BUNDLE, locale, NO_FALLBACK), locale);
  }

  /**
   * The locale the user asked for: {@code --lang} if given, else the POSIX variables in their
   * order of precedence ({@code LC_ALL}, {@code LC_MESSAGES}, {@code LANG}), else English.
   */
  public static Locale resolveLocale(String langOption, Map<String, String> env) {
    for (String value : new String[] {langOption, env.get("LC_ALL"), env.get("LC_MESSAGES"), env.get("LANG")}) {
      if (value != null && !value.isBlank()) {
        return parseLocale(value);
      }
    }
    return Locale.ENGLISH;
  }

  /** {@code zh_CN.UTF-8}, {@code zh-CN}, {@code zh}, {@code C}, {@code POSIX}, ... */
  static Locale parseLocale(String value) {
    String tag = value.strip();
    int cut = indexOfAny(tag, ".@");
    if (cut >= 0) {
      tag = tag.substring(0, cut);
    }
    if (tag.isEmpty() || tag.equals("C") || tag.equals("POSIX")) {
      return Locale.ENGLISH;
    }
    Locale locale = Locale.forLanguageTag(tag.replace('_', '-'));
    return locale.getLanguage().isEmpty() ? Locale.ENGLISH : locale;
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  public Locale locale() {
    return locale;
  }

  /**
   * The formatted message. A missing key is a bug, but the user still gets something readable:
   * the key itself.
   */
  public String get(String key, Object... args) {
    String pattern;
    try {
      pattern = bundle.getString(key);
    } catch (MissingResourceException e) {
      return key;
    }
    Object[] resolved = args.clone();
    for (int i = 0; i < resolved.length; i++) {
      if (resolved[i] instanceof Ref ref) {
        resolved[i] = get(ref.key(), ref.args());
      }
    }
    return new MessageFormat(pattern, locale).format(resolved);
  }

  /** A message used as an argument of another, resolved in the same language. */
  public record Ref(String key, Object... args) {
  }
}
