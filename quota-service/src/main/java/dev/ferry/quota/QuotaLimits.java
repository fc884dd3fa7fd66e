package dev.ferry.quota;

import dev.ferry.protocol.AccountName;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.store.AtomicFile;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The byte limit of every account (PROTOCOL.md section 6: "Every user has a limit in bytes (a
 * default, and per-user values an admin sets); the admin has none"), and the arithmetic on it.
 * Immutable: a change makes a new value, which the service stores before it takes its place.
 *
 * <p>Kept in {@code quota.json} as {@code {"version":1,"limits":{"alice":123}}}; an account with
 * no entry has the configured default, which is not stored, so changing the default applies to
 * every account without a limit of its own. A limit of {@value #UNLIMITED} means unlimited.
 */
public final class QuotaLimits {

  public static final int VERSION = 1;
  public static final long UNLIMITED = 0;

  private static final String VERSION_FIELD = "version";
  private static final String LIMITS_FIELD = "limits";

  private final long defaultLimit;
  private final Map<String, Long> limits;

  private QuotaLimits(long defaultLimit, Map<String, Long> limits) {
    requireBytes("default limit", defaultLimit);
    this.defaultLimit = defaultLimit;
    this.limits = Collections.unmodifiableMap(new TreeMap<>(limits));
  }

  /** No limit set for anyone yet. */
  public static QuotaLimits empty(long defaultLimit) {
    return new QuotaLimits(defaultLimit, Map.of());
  }

  /**
   * Reads {@code file}; a missing file means no limits set yet. A leftover temp file of an
   * interrupted save is never read: {@link AtomicFile} only ever renames complete files into
   * place. Blocking.
   *
   * @throws IOException if the file cannot be read or is not a quota file of this version: the
   *     service must not start and silently forget the limits an admin set
   */
  public static QuotaLimits load(Path file, long defaultLimit) throws IOException {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return empty(defaultLimit);
    }
    try {
      return fromJson(new JsonObject(Buffer.buffer(content)), defaultLimit);
    } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
      throw new IOException("not a valid quota file: " + file, e);
    }
  }

  /** Replaces {@code file} atomically with these limits. Blocking. */
  public void save(Path file) throws IOException {
    AtomicFile.write(file, toJson().toBuffer().getBytes());
  }

  public JsonObject toJson() {
    JsonObject byAccount = new JsonObject();
    limits.forEach(byAccount::put);
    return new JsonObject().put(VERSION_FIELD, VERSION).put(LIMITS_FIELD, byAccount);
  }

  static QuotaLimits fromJson(JsonObject json, long defaultLimit) {
    Integer version = json.getInteger(VERSION_FIELD);
    if (version == null || version != VERSION) {
      throw new IllegalArgumentException("unsupported quota file version " + version);
    }
    JsonObject byAccount = json.getJsonObject(LIMITS_FIELD, new JsonObject());
    Map<String, Long> limits = new TreeMap<>();
    for (String account : byAccount.fieldNames()) {
      if (!AccountName.isValid(account)) {
        throw new IllegalArgumentException("not an account name: " + account);
      }
      Long limit = byAccount.getLong(account);
      if (limit == null) {
        throw new IllegalArgumentException("no limit for " + account);
      }
      limits.put(account, requireBytes(account, limit));
    }
    return new QuotaLimits(defaultLimit, limits);
  }

  /** The default for an account without a limit of its own. */
  public long defaultLimit() {
    return defaultLimit;
  }

  /** The limits set explicitly, by account. */
  public Map<String, Long> explicitLimits() {
    return limits;
  }

  /** The limit of a user account: its own, or the default. */
  public long limitOf(String account) {
    return limits.getOrDefault(account, defaultLimit);
  }

  /** The limit of an account with its role: an admin is never limited (PROTOCOL.md section 6). */
  public long limitOf(String account, Role role) {
    return role == Role.ADMIN ? UNLIMITED : limitOf(account);
  }

  /** These limits with {@code account}'s set to {@code limit} bytes (0 = unlimited). */
  public QuotaLimits withLimit(String account, long limit) {
    requireBytes(account, limit);
    Map<String, Long> next = new TreeMap<>(limits);
    next.put(account, limit);
    return new QuotaLimits(defaultLimit, next);
  }

  /** These limits without {@code account}'s own entry; this very value if it had none. */
  public QuotaLimits without(String account) {
    if (!limits.containsKey(account)) {
      return this;
    }
    Map<String, Long> next = new TreeMap<>(limits);
    next.remove(account);
    return new QuotaLimits(defaultLimit, next);
  }

  /**
   * Whether {@code extra} more bytes on top of {@code used} stay within {@code limit}, without
   * overflowing however large the numbers (the check an upload will make before it answers
   * READY, PROTOCOL.md section 6).
   */
  public static boolean fits(long used, long extra, long limit) {
    if (limit == UNLIMITED) {
      return true;
    }
    return used <= limit && extra <= limit - used;
  }

  private static long requireBytes(String what, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException(what + ": a limit cannot be negative, got " + bytes);
    }
    return bytes;
  }
}
