package dev.ferry.auth;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.store.AtomicFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SSH public keys each account may log in with (the SFTP door's {@code authorized_keys}),
 * with the file account store kept in {@code <data>/authorized_keys.json}, written atomically:
 *
 * <pre>
 * {"version":1,"keys":{"alice":["ssh-ed25519 AAAAC3Nza..."]}}
 * </pre>
 *
 * A key is kept as its type and base64 blob, its comment dropped; at most
 * {@link #MAX_KEYS_PER_ACCOUNT} per account, each at most {@link #MAX_KEY_CHARS} long.
 */
final class AuthorizedKeys implements KeysStore {

  static final String FILE = "authorized_keys.json";
  static final int MAX_KEYS_PER_ACCOUNT = 16;
  static final int MAX_KEY_CHARS = 8192;
  private static final Set<String> TYPES = Set.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521", "ssh-rsa");
  private static final Pattern BLOB = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

  private final Vertx vertx;
  private final Path file;
  private final Map<String, List<String>> keys;

  private AuthorizedKeys(Vertx vertx, Path file, Map<String, List<String>> keys) {
    this.vertx = vertx;
    this.file = file;
    this.keys = keys;
  }

  static Future<AuthorizedKeys> open(Vertx vertx, Path dataDir) {
    Path file = dataDir.resolve(FILE);
    return vertx.executeBlocking(() -> {
      Map<String, List<String>> keys = new HashMap<>();
      if (Files.exists(file)) {
        JsonObject stored = new JsonObject(Files.readString(file)).getJsonObject("keys", new JsonObject());
        for (String account : stored.fieldNames()) {
          List<String> list = new ArrayList<>();
          stored.getJsonArray(account).forEach(k -> list.add((String) k));
          keys.put(account, List.copyOf(list));
        }
      }
      return new AuthorizedKeys(vertx, file, keys);
    }, false);
  }

  /**
   * The keys of an {@code authorized_keys} text (one per line; blank lines and {@code #}
   * comments skipped), each as "type blob".
   *
   * @throws io.vertx.core.eventbus.ReplyException BAD_REQUEST for a line that is not such a key, or too many
   */
  static List<String> parse(String text) {
    List<String> parsed = new ArrayList<>();
    for (String line : text.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = trimmed.split("\\s+");
      if (trimmed.length() > MAX_KEY_CHARS || parts.length < 2 || !TYPES.contains(parts[0]) || !BLOB.matcher(parts[1]).matches()
        || !blobNames(parts[1], parts[0])) {
        throw Failure.BAD_REQUEST.exception("not an SSH public key line");
      }
      parsed.add(parts[0] + " " + parts[1]);
    }
    if (parsed.size() > MAX_KEYS_PER_ACCOUNT) {
      throw Failure.BAD_REQUEST.exception("at most " + MAX_KEYS_PER_ACCOUNT + " keys per account");
    }
    return List.copyOf(parsed);
  }

  /** Whether the blob's own type field (RFC 4253 section 6.6) is the one its line names. */
  private static boolean blobNames(String blob, String type) {
    try {
      byte[] bytes = Base64.getDecoder().decode(blob);
      if (bytes.length < 4) {
        return false;
      }
      int length = ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
      return length == type.length() && bytes.length >= 4 + length
        && new String(bytes, 4, length, StandardCharsets.US_ASCII).equals(type);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public Future<List<String>> of(String account) {
    return Future.succeededFuture(keys.getOrDefault(account, List.of()));
  }

  /** Replaces the account's keys (none: removes them) and saves the file. */
  @Override
  public Future<Void> set(String account, List<String> accountKeys) {
    if (accountKeys.isEmpty()) {
      keys.remove(account);
    } else {
      keys.put(account, accountKeys);
    }
    JsonObject all = new JsonObject();
    keys.forEach((name, list) -> all.put(name, new JsonArray(list)));
    byte[] content = new JsonObject().put("version", 1).put("keys", all).encodePrettily().getBytes(StandardCharsets.UTF_8);
    return vertx.executeBlocking(() -> {
      AtomicFile.write(file, content);
      return null;
    }, false);
  }
}
