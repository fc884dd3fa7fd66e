package dev.ferry.auth;

import dev.ferry.auth.db.AccountDatabase;
import dev.ferry.auth.db.DatabaseOptions;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.TokenRevocations;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * auth-service: accounts, password hashes, lockout and session tokens, served at
 * {@link Addresses#AUTH} as described by {@link AuthApi}. With the file store (the default) deploy
 * exactly one instance per data directory: it is the only writer of {@code <data>/users.json}, and
 * holds {@code <data>/auth.lock} while it runs so that a second one is refused
 * ({@link OutOfBandUnlock}). With {@code accountStore=postgres} every replica shares the database
 * and holds nothing of its own but caches that may only ever refuse more, never let more in.
 */
public final class AuthVerticle extends VerticleBase {

  /** How often the service looks for unlocks left by {@code ferry-server --unlock}. */
  static final long UNLOCK_POLL_MILLIS = 1_000;
  private static final System.Logger LOG = System.getLogger(AuthVerticle.class.getName());

  private final LongSupplier clockMillis;
  private final PrintStream console;
  /** How often stale lockout rows and ended address windows are deleted from the shared database. */
  static final long STALE_LOCKOUT_SWEEP_MILLIS = 60_000;
  private AccountStore store;
  private Lockouts lockouts;
  private AddressLimits addresses;
  private AccountDatabase database;
  private PasswordHasher hasher;
  private MessageConsumer<JsonObject> consumer;
  private OutOfBandUnlock.Held dataLock;
  private long unlockTimer = -1;
  private boolean takingUnlocks;
  private TokenRevocations revocations;
  private AccountChanges changes;
  private CredentialCache verified;

  public AuthVerticle() {
    this(System::currentTimeMillis, System.out);
  }

  /** For tests: a clock for the lockout, and where the generated admin password is printed. */
  AuthVerticle(LongSupplier clockMillis, PrintStream console) {
    this.clockMillis = clockMillis;
    this.console = console;
  }

  @Override
  public Future<?> start() {
    AuthOptions options;
    try {
      options = new AuthOptions(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return TokenRevocations.start(vertx, SessionTokens.ttlSeconds(config())).compose(started -> {
      revocations = started;
      SessionTokens tokens;
      TokenSigner signer;
      try {
        tokens = SessionTokens.fromConfig(vertx, config(), started);
        signer = TokenSigner.fromConfig(vertx, config(), started).orElseThrow(() -> new IllegalArgumentException(
          "auth-service signs the session tokens and needs their private key (tokenPrivateKeyPath)"));
      } catch (IllegalArgumentException e) {
        return started.close().transform(closed -> Future.failedFuture(e));
      }
      return start(options, tokens, signer);
    });
  }

  private Future<MessageConsumer<JsonObject>> start(AuthOptions options, SessionTokens tokens, TokenSigner signer) {
    verified = new CredentialCache(options.credentialCacheSeconds(), CredentialCache.DEFAULT_MAX_ENTRIES, clockMillis);
    return openStore(options)
      .compose(opened -> PasswordHasher.create(vertx, options.pbkdf2Iterations(), options.hashThreads(), options.hashQueue()))
      .compose(created -> {
        hasher = created;
        return FirstAdmin.createIfFirstStart(vertx, store, hasher, options, console);
      })
      .compose(v -> AccountChanges.start(vertx, this::forget))
      .compose(started -> {
        changes = started;
        return tickets(options);
      })
      .compose(tickets -> keysStore(options).compose(authorizedKeys -> {
        KeyActions keys = new KeyActions(store, authorizedKeys, lockouts, signer);
        LoginActions logins = new LoginActions(store, hasher, lockouts, addresses, verified, signer, tickets);
        AccountActions accounts = new AccountActions(store, hasher, lockouts, verified, revocations, signer, changes);
        return new BusService(vertx, Addresses.AUTH, tokens)
          .onPublic(AuthApi.LOGIN, logins::login)
          .on(AuthApi.RENEW, logins::renew)
          .on(AuthApi.TICKET, logins::ticket)
          .onPublic(AuthApi.TICKET_LOGIN, logins::ticketLogin)
          .on(AuthApi.GET, accounts::get)
          .on(AuthApi.LIST, accounts::list)
          .on(AuthApi.ADD, accounts::add)
          .on(AuthApi.DELETE, (caller, body) -> accounts.delete(caller, body)
            .compose(done -> keys.forget(body.getString(AuthApi.ACCOUNT)).map(done)))
          .on(AuthApi.SET_KEYS, keys::setKeys)
          .onPublic(AuthApi.KEY_LOGIN, keys::keyLogin)
          .on(AuthApi.PASSWD, accounts::passwd)
          .on(AuthApi.LOCK, accounts::lock)
          .on(AuthApi.UNLOCK, accounts::unlock)
          .register();
      }))
      .onSuccess(registered -> {
        consumer = registered;
        if (database == null) {
          unlockTimer = vertx.setPeriodic(1, UNLOCK_POLL_MILLIS, id -> takeUnlockRequests(options));
        } else {
          PgLockouts shared = (PgLockouts) lockouts;
          PgAddressLimits windows = (PgAddressLimits) addresses;
          unlockTimer = vertx.setPeriodic(STALE_LOCKOUT_SWEEP_MILLIS, id -> Future.all(shared.dropStale(), windows.dropEnded())
            .onFailure(e -> LOG.log(System.Logger.Level.DEBUG, "dropping stale lockouts failed: " + e.getMessage())));
        }
      })
      .onFailure(error -> {
        revocations.close();
        if (changes != null) {
          changes.close();
        }
        if (hasher != null) {
          hasher.close();
        }
        if (database != null) {
          database.close();
        }
        releaseDataLock();
      });
  }

  /**
   * The file store holds the data directory's lock (one auth service per directory) and keeps
   * lockouts in memory; the PostgreSQL store is shared by any number of replicas.
   */
  private Future<Void> openStore(AuthOptions options) {
    DatabaseOptions db;
    try {
      db = new DatabaseOptions(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (db.postgres()) {
      return AccountDatabase.open(vertx, db).map(opened -> {
        database = opened;
        store = new PgAccountStore(opened.pool(), opened.url());
        lockouts = new PgLockouts(opened.pool(), options.lockoutThreshold(), options.lockoutSeconds(), clockMillis);
        addresses = new PgAddressLimits(opened.pool(), options.loginFailuresPerAddress(), clockMillis);
        return null;
      });
    }
    lockouts = new MemoryLockouts(new FailureLedger(options.lockoutThreshold(), options.lockoutSeconds(),
      FailureLedger.DEFAULT_MAX_ENTRIES, clockMillis));
    addresses = new MemoryAddressLimits(new AddressFailureLedger(options.loginFailuresPerAddress(),
      AddressFailureLedger.DEFAULT_MAX_ADDRESSES, clockMillis));
    return vertx.executeBlocking(() -> OutOfBandUnlock.hold(options.dataDir()), false)
      .compose(held -> {
        dataLock = held;
        return AccountsFile.open(vertx, options.usersFile());
      })
      .map(opened -> {
        store = new FileAccountStore(opened);
        return null;
      });
  }

  /** The SSH public keys, kept where the accounts are. */
  private Future<KeysStore> keysStore(AuthOptions options) {
    return database == null
      ? AuthorizedKeys.open(vertx, options.dataDir()).map(KeysStore.class::cast)
      : Future.succeededFuture(new PgKeysStore(database.pool()));
  }

  /** Session tickets: under a key of this process, or under the key every replica of the database shares. */
  private Future<SessionTickets> tickets(AuthOptions options) {
    if (database == null) {
      return Future.succeededFuture(new SessionTickets(options.sessionTicketSeconds(), clockMillis));
    }
    return PgServiceKeys.hmacSha256(database.pool(), PgServiceKeys.SESSION_TICKETS)
      .map(mac -> new SessionTickets(options.sessionTicketSeconds(), clockMillis, mac));
  }

  /**
   * Another replica changed {@code account}: what this one remembers of it may be stale. The
   * account itself is read from the store on each request; only the in-memory extras go (the
   * lockouts too when they are this process's own, as with the file store).
   */
  private void forget(String account, AccountChanges.Change change) {
    verified.forget(account);
    if (change.clearsFailures() && lockouts instanceof MemoryLockouts) {
      lockouts.clear(account);
    }
    LOG.log(System.Logger.Level.DEBUG, () -> "account " + account + " changed on another replica (" + change.wire() + ")");
  }

  /** Closes the data directory lock on a worker thread: closing a file is I/O. */
  private Future<Void> releaseDataLock() {
    OutOfBandUnlock.Held held = dataLock;
    dataLock = null;
    if (held == null) {
      return Future.succeededFuture();
    }
    return vertx.<Void>executeBlocking(() -> {
      held.close();
      return null;
    }, false).onFailure(e -> LOG.log(System.Logger.Level.WARNING, "cannot release " + OutOfBandUnlock.LOCK_FILE + ": "
      + e.getMessage()));
  }

  /** Applies the unlocks {@code ferry-server --unlock} left in the data directory, then marks them done. */
  private void takeUnlockRequests(AuthOptions options) {
    if (takingUnlocks) {
      return;
    }
    takingUnlocks = true;
    vertx.executeBlocking(() -> OutOfBandUnlock.pendingRequests(options.dataDir()), false)
      .compose(names -> {
        List<Future<Void>> applied = new ArrayList<>();
        for (String name : names) {
          applied.add(lockouts.clear(name)
            .compose(v -> store.setLocked(name, false))
            .andThen(stored -> {
              if (stored.succeeded()) {
                changes.announce(name, AccountChanges.Change.UNLOCKED);
              }
            })
            .compose(v -> vertx.<Void>executeBlocking(() -> {
              OutOfBandUnlock.done(options.dataDir(), name);
              return null;
            }, false))
            .onSuccess(v -> LOG.log(System.Logger.Level.INFO, "unlocked account " + name + " (ferry-server --unlock)")));
        }
        return Future.join(applied);
      })
      .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "cannot take unlock requests: " + e.getMessage()))
      .onComplete(done -> takingUnlocks = false);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(unlockTimer);
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    // Let queued writes of users.json finish, so a redeploy on the same directory sees them.
    return unregistered.compose(v -> revocations == null ? Future.succeededFuture() : revocations.close())
      .compose(v -> changes == null ? Future.succeededFuture() : changes.close())
      .compose(v -> store == null ? Future.succeededFuture() : store.flushed())
      .compose(v -> hasher == null ? Future.succeededFuture() : hasher.close())
      .compose(v -> database == null ? Future.succeededFuture() : database.close())
      .eventually(this::releaseDataLock);
  }

  /**
   * Test hook: how many logins the credential cache remembers and how many (account, address)
   * pairs this process counts failed logins of, read on this verticle's event loop, which alone
   * touches them.
   */
  Future<int[]> rememberedAndCounted() {
    return Future.future(promise -> context.runOnContext(v -> promise.complete(new int[] {verified.size(),
      lockouts instanceof MemoryLockouts memory ? memory.size() : -1})));
  }

  /** Test hook: the hasher, to count verifies on the equal-cost login paths. */
  PasswordHasher hasher() {
    return hasher;
  }
}
