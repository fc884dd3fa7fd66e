package dev.ferry.protocol;

import java.util.regex.Pattern;

/** Account names: {@code [a-z0-9][a-z0-9._-]{0,31}} (PROTOCOL.md section 7). */
public final class AccountName {

  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

  private AccountName() {
  }

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }
}
