package dev.ferry.gateway.command;

import dev.ferry.protocol.Replies;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** Reading the {@code *}-separated fields of a command's {@code data}. */
final class Fields {

  /** Plain decimal digits: no sign, no spaces, small enough for a long. */
  private static final Pattern BYTES = Pattern.compile("[0-9]{1,18}");

  /** Two fields split at the first {@code *}; the second may itself contain {@code *}. */
  record Pair(String first, String second) {
  }

  private Fields() {
  }

  static Optional<Pair> splitFirst(String data) {
    int star = data.indexOf(Replies.SEP);
    if (star < 0) {
      return Optional.empty();
    }
    return Optional.of(new Pair(data.substring(0, star), data.substring(star + 1)));
  }

  /** Exactly two fields: one {@code *}, neither side empty. */
  static Optional<Pair> exactlyTwo(String data) {
    return splitFirst(data).filter(p -> !p.first().isEmpty() && !p.second().isEmpty() && !p.second().contains(Replies.SEP));
  }

  /** A byte count: non-negative decimal digits. */
  static OptionalLong bytes(String text) {
    return BYTES.matcher(text).matches() ? OptionalLong.of(Long.parseLong(text)) : OptionalLong.empty();
  }
}
