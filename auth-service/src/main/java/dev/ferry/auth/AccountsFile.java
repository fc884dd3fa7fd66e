package dev.ferry.auth;

import dev.ferry.protocol.AccountName;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.store.AtomicFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The accounts, held in memory and persisted to {@code <data>/users.json}:
 * <pre>
 * {"version":1,"accounts":[{"account":"admin","role":"admin","hash":"$pbkdf2$it=210000$...","locked":false}]}
 * </pre>
 *
 * <p>Reads and changes happen on the owning verticle's event loop; the file is written on a
 * worker thread with {@link AtomicFile#write} (temp file, fsync, atomic rename), so a crash
 * leaves the old content or the new, and a leftover {@code users.json.*.tmp} is never read.
 * Writes run one at a time, in order, and each writes the state as it is when the write starts,
 * so a later change can never be lost behind an earlier write. A file that cannot be parsed fails
 * {@link #open} and is never overwritten: it may be the only copy of the accounts.
 */
final class AccountsFile {

  static final int FORMAT_VERSION = 1;
  private static final System.Logger LOG = System.getLogger(AccountsFile.class.getName());

  private final Vertx vertx;
  private final Path file;
  private final boolean existedOnOpen;
  private final Map<String, Account> accounts;
  /** Counts changes, so a queued write with nothing new to say is skipped. */
  private long version;
  private long savedVersion;
  private Future<Void> lastWrite = Future.succeededFuture();

  private AccountsFile(Vertx vertx, Path file, Map<String, Account> loaded) {
    this.vertx = vertx;
    this.file = file;
    this.existedOnOpen = loaded != null;
    this.accounts = loaded == null ? new TreeMap<>() : loaded;
  }

  /** Loads the file on a worker thread; a missing file opens an empty store, a bad one fails. */
  static Future<AccountsFile> open(Vertx vertx, Path file) {
    return vertx.executeBlocking(() -> Files.exists(file) ? parse(file, Files.readAllBytes(file)) : null, false)
      .map(loaded -> new AccountsFile(vertx, file, loaded));
  }

  Path path() {
    return file;
  }

  /** Whether {@code users.json} existed when the store was opened (false on a first start). */
  boolean existedOnOpen() {
    return existedOnOpen;
  }

  Optional<Account> find(String name) {
    return Optional.ofNullable(accounts.get(name));
  }

  /** All accounts, ordered by name. */
  List<Account> list() {
    return new ArrayList<>(accounts.values());
  }

  /** Adds or replaces an account, then persists. */
  Future<Void> put(Account account) {
    return change(account.name(), account);
  }

  Future<Void> remove(String name) {
    return change(name, null);
  }

  /** Completes once every write asked for so far has finished (for a clean stop). */
  Future<Void> flushed() {
    return lastWrite.transform(ignored -> Future.succeededFuture());
  }

  /**
   * Applies the change at once, so that checks that follow see it, and persists it. If the write
   * fails the caller is told so and the change is undone, unless a later change replaced it.
   */
  private Future<Void> change(String name, Account after) {
    Account before = after == null ? accounts.remove(name) : accounts.put(name, after);
    version++;
    return persist().recover(error -> {
      if (accounts.get(name) == after) {
        if (before == null) {
          accounts.remove(name);
        } else {
          accounts.put(name, before);
        }
        version++;
      }
      return Future.failedFuture(error);
    });
  }

  private Future<Void> persist() {
    Future<Void> write = lastWrite.transform(ignored -> writeSnapshot());
    lastWrite = write;
    return write;
  }

  /** Runs on the event loop when the previous write has finished: snapshots, then writes. */
  private Future<Void> writeSnapshot() {
    long snapshotVersion = version;
    if (snapshotVersion == savedVersion) {
      return Future.succeededFuture();
    }
    byte[] content = serialize(accounts.values());
    return vertx.<Void>executeBlocking(() -> {
        AtomicFile.write(file, content);
        return null;
      }, false)
      .onFailure(e -> LOG.log(System.Logger.Level.ERROR, "cannot write " + file, e))
      .map(ignored -> {
        savedVersion = snapshotVersion;
        return null;
      });
  }

  static byte[] serialize(Collection<Account> accounts) {
    JsonArray list = new JsonArray();
    for (Account a : accounts) {
      list.add(new JsonObject()
        .put("account", a.name())
        .put("role", a.role().wire())
        .put("hash", a.hash())
        .put("locked", a.locked()));
    }
    return new JsonObject().put("version", FORMAT_VERSION).put("accounts", list)
      .encodePrettily().getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, Account> parse(Path file, byte[] content) throws IOException {
    try {
      JsonObject root = new JsonObject(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString());
      Object version = root.getValue("version");
      if (!(version instanceof Number n) || n.intValue() != FORMAT_VERSION) {
        throw new IllegalStateException("unsupported version " + version + " (expected " + FORMAT_VERSION + ")");
      }
      JsonArray list = root.getJsonArray("accounts");
      if (list == null) {
        throw new IllegalStateException("no \"accounts\" array");
      }
      Map<String, Account> accounts = new TreeMap<>();
      for (int i = 0; i < list.size(); i++) {
        Account account = parseAccount(list.getJsonObject(i), i);
        if (accounts.putIfAbsent(account.name(), account) != null) {
          throw new IllegalStateException("account \"" + account.name() + "\" appears twice");
        }
      }
      return accounts;
    } catch (CharacterCodingException | DecodeException | ClassCastException | IllegalStateException e) {
      String reason = e instanceof CharacterCodingException ? "not UTF-8 text" : e.getMessage();
      throw new IOException("cannot load accounts from " + file.toAbsolutePath() + ": " + reason
        + "; repair or restore that file (Ferry never overwrites an unreadable one)", e);
    }
  }

  private static Account parseAccount(JsonObject entry, int index) {
    if (entry == null) {
      throw new IllegalStateException("accounts[" + index + "] is not an object");
    }
    String name = entry.getString("account");
    if (!AccountName.isValid(name)) {
      throw new IllegalStateException("accounts[" + index + "] has an invalid account name");
    }
    Role role = Role.parse(entry.getString("role"))
      .orElseThrow(() -> new IllegalStateException("account \"" + name + "\" has an invalid role"));
    String hash = entry.getString("hash");
    if (hash == null || !hash.startsWith("$")) {
      throw new IllegalStateException("account \"" + name + "\" has no password hash");
    }
    return new Account(name, role, hash, entry.getBoolean("locked", false));
  }
}
