package dev.ferry.gateway.command;

import dev.ferry.protocol.Replies;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The {@code data} of {@code upload}: {@code <dir>*<name>*<size>*<sha256 hex>[*overwrite]}, or
 * the seed's {@code <dir>*<name>*<size>} (PROTOCOL.md s5). Accepted beside those: an empty
 * SHA-256 field ({@code <dir>*<name>*<size>**overwrite}) and {@code overwrite} right after the
 * size, both meaning "no checksum given"; and {@code LATER} in its place (an extension): the
 * checksum comes after the chunks.
 *
 * @param sha256 lowercase hex, or "" when the client gave none (yet)
 * @param later  whether the client sends the checksum after the chunks
 */
record UploadFields(String dir, String name, long size, String sha256, boolean overwrite, boolean later) {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final String OVERWRITE = "overwrite";

  static Optional<UploadFields> parse(String data) {
    String[] fields = data.split(Pattern.quote(Replies.SEP), -1);
    if (fields.length < 3 || fields.length > 5 || fields[1].isEmpty()) {
      return Optional.empty();
    }
    OptionalLong size = Fields.bytes(fields[2]);
    if (size.isEmpty()) {
      return Optional.empty();
    }
    String sha256 = "";
    boolean overwrite = false;
    boolean later = false;
    if (fields.length == 4 && fields[3].equals(OVERWRITE)) {
      overwrite = true;
    } else if (fields.length >= 4 && fields[3].equals(Replies.LATER)) {
      later = true;
    } else if (fields.length >= 4) {
      if (!fields[3].isEmpty() && !SHA256_HEX.matcher(fields[3]).matches()) {
        return Optional.empty();
      }
      sha256 = fields[3].toLowerCase(Locale.ROOT);
    }
    if (fields.length == 5) {
      if (!fields[4].equals(OVERWRITE)) {
        return Optional.empty();
      }
      overwrite = true;
    }
    return Optional.of(new UploadFields(fields[0], fields[1], size.getAsLong(), sha256, overwrite, later));
  }
}
