package dev.ferry.auth;

import dev.ferry.auth.db.AccountDatabase;
import dev.ferry.protocol.AccountName;
import dev.ferry.protocol.store.AtomicFile;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code ferry-server --unlock ACCOUNT}: lifts the admin's lock and every lockout after failed
 * logins of an account, from a shell on the data directory, without logging in.
 *
 * <p>A running auth service holds an OS lock on {@code <data>/auth.lock} and is the only writer of
 * {@code users.json}, whose accounts it keeps in memory. So when that lock is free (no service
 * runs) {@code users.json} is rewritten here; when it is held, a request file
 * {@code <data>/unlock-requests/ACCOUNT} is left for the service, which polls that directory,
 * applies the unlock to its accounts and its in-memory lockouts, persists, and deletes the file;
 * this side waits for that deletion.
 */
public final class OutOfBandUnlock {

  /** What came of an unlock. */
  public enum Result {
    /** No auth service ran: {@code users.json} was updated here. */
    UNLOCKED_IN_FILE,
    /** The account database of a cluster was updated. */
    UNLOCKED_IN_DATABASE,
    /** The running auth service took the request. */
    UNLOCKED_BY_RUNNING_SERVICE,
    NO_SUCH_ACCOUNT,
    /** The service holds the data directory but did not take the request in time; it stays queued. */
    NOT_TAKEN
  }

  static final String LOCK_FILE = "auth.lock";
  static final String REQUESTS_DIR = "unlock-requests";
  /** Requests one poll of the running service takes at most. */
  static final int MAX_REQUESTS_PER_POLL = 64;

  /**
   * Data directories whose lock this JVM holds. Checked before a channel is opened: on Linux
   * closing any channel of the file would release this JVM's lock on it.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private OutOfBandUnlock() {
  }

  /** Unlocks {@code account} in the data directory {@code dataDir}; blocking. */
  public static Result unlock(Path dataDir, String account, Duration wait) throws IOException, InterruptedException {
    Path users = dataDir.resolve("users.json");
    if (!AccountName.isValid(account) || !Files.exists(users)) {
      return Result.NO_SUCH_ACCOUNT;
    }
    if (!HELD.contains(canonical(dataDir))) {
      try (FileChannel channel = openLockFile(dataDir); FileLock held = tryLock(channel)) {
        if (held != null) {
          return unlockInFile(users, account);
        }
      }
    }
    if (!AccountsFile.parse(users, Files.readAllBytes(users)).containsKey(account)) {
      return Result.NO_SUCH_ACCOUNT;
    }
    Path request = dataDir.resolve(REQUESTS_DIR).resolve(account);
    Files.createDirectories(request.getParent());
    if (!Files.exists(request)) {
      Files.createFile(request);
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (Files.exists(request)) {
      if (System.nanoTime() >= deadline) {
        return Result.NOT_TAKEN;
      }
      Thread.sleep(100);
    }
    return Result.UNLOCKED_BY_RUNNING_SERVICE;
  }

  /**
   * Unlocks {@code account} in the account database of a cluster ({@code accountStore=postgres}):
   * every auth replica reads the lock and the lockouts from there, so the change holds at once.
   */
  public static Future<Result> unlock(AccountDatabase database, String account) {
    if (!AccountName.isValid(account)) {
      return Future.succeededFuture(Result.NO_SUCH_ACCOUNT);
    }
    return database.pool().withTransaction(conn -> conn.preparedQuery("DELETE FROM login_failures WHERE account = $1")
      .execute(Tuple.of(account))
      .compose(v -> conn.preparedQuery("UPDATE accounts SET locked = false, updated_at = now() WHERE name = $1")
        .execute(Tuple.of(account)))
      .map(rows -> rows.rowCount() == 1 ? Result.UNLOCKED_IN_DATABASE : Result.NO_SUCH_ACCOUNT));
  }

  private static Result unlockInFile(Path users, String account) throws IOException {
    Map<String, Account> accounts = AccountsFile.parse(users, Files.readAllBytes(users));
    Account found = accounts.get(account);
    if (found == null) {
      return Result.NO_SUCH_ACCOUNT;
    }
    if (found.locked()) {
      accounts.put(account, found.withLocked(false));
      AtomicFile.write(users, AccountsFile.serialize(accounts.values()));
    }
    // A request left while a service ran and stopped before taking it is done now.
    Files.deleteIfExists(users.resolveSibling(REQUESTS_DIR).resolve(account));
    return Result.UNLOCKED_IN_FILE;
  }

  /**
   * The data directory's auth lock, for the auth service: held from its start to its stop, so
   * that no second service writes the same {@code users.json} and {@link #unlock} knows one runs.
   * Fails when another process or service holds it.
   */
  static Held hold(Path dataDir) throws IOException {
    Path key = canonical(dataDir);
    if (!HELD.add(key)) {
      throw new IOException("another auth service of this process is using the data directory " + key);
    }
    FileChannel channel;
    try {
      channel = openLockFile(dataDir);
    } catch (IOException | RuntimeException e) {
      HELD.remove(key);
      throw e;
    }
    FileLock lock;
    try {
      lock = tryLock(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      HELD.remove(key);
      throw e;
    }
    if (lock == null) {
      channel.close();
      HELD.remove(key);
      throw new IOException("another auth service is using the data directory " + dataDir.toAbsolutePath()
        + " (it holds " + LOCK_FILE + ")");
    }
    return new Held(key, channel);
  }

  /** A held data directory lock; closing it lets go. */
  static final class Held implements AutoCloseable {
    private final Path key;
    private final FileChannel channel;

    private Held(Path key, FileChannel channel) {
      this.key = key;
      this.channel = channel;
    }

    @Override
    public void close() throws IOException {
      try {
        channel.close();
      } finally {
        HELD.remove(key);
      }
    }
  }

  /** The accounts whose unlock is requested now (at most {@link #MAX_REQUESTS_PER_POLL}); blocking. */
  static List<String> pendingRequests(Path dataDir) throws IOException {
    Path dir = dataDir.resolve(REQUESTS_DIR);
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (names.size() >= MAX_REQUESTS_PER_POLL) {
          break;
        }
        String name = entry.getFileName().toString();
        if (AccountName.isValid(name)) {
          names.add(name);
        } else {
          Files.deleteIfExists(entry);
        }
      }
    }
    return names;
  }

  /** Marks a request done; blocking. */
  static void done(Path dataDir, String account) throws IOException {
    Files.deleteIfExists(dataDir.resolve(REQUESTS_DIR).resolve(account));
  }

  private static Path canonical(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    return dataDir.toRealPath();
  }

  private static FileChannel openLockFile(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    return FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  /** Null when another process holds it; a service of this JVM holding it counts the same. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }
}
