package dev.ferry.auth;

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
import java.util.function.LongSupplier;

/**
 * auth-service: accounts, password hashes, lockout and session tokens, served at
 * {@link Addresses#AUTH} as described by {@link AuthApi}. Deploy exactly one instance per data
 * directory: it is the only writer of {@code <data>/users.json}.
 */
public final class AuthVerticle extends VerticleBase {

  private final LongSupplier clockMillis;
  private final PrintStream console;
  private AccountStore store;
  private PasswordHasher hasher;
  private MessageConsumer<JsonObject> consumer;
  private TokenRevocations revocations;

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
    FailureLedger ledger = new FailureLedger(options.lockoutThreshold(), options.lockoutSeconds(), clockMillis);
    AddressFailureLedger addresses = new AddressFailureLedger(options.loginFailuresPerAddress(),
      AddressFailureLedger.DEFAULT_MAX_ADDRESSES, clockMillis);
    CredentialCache verified = new CredentialCache(options.credentialCacheSeconds(), CredentialCache.DEFAULT_MAX_ENTRIES, clockMillis);
    SessionTickets tickets = new SessionTickets(options.sessionTicketSeconds(), clockMillis);
    return AccountStore.open(vertx, options.usersFile())
      .compose(opened -> {
        store = opened;
        return PasswordHasher.create(vertx, options.pbkdf2Iterations(), options.hashThreads(), options.hashQueue());
      })
      .compose(created -> {
        hasher = created;
        return FirstAdmin.createIfFirstStart(store, hasher, options, console);
      })
      .compose(v -> {
        LoginActions logins = new LoginActions(store, hasher, ledger, addresses, verified, signer, tickets);
        AccountActions accounts = new AccountActions(store, hasher, ledger, verified, revocations, signer);
        return new BusService(vertx, Addresses.AUTH, tokens)
          .onPublic(AuthApi.LOGIN, logins::login)
          .on(AuthApi.RENEW, logins::renew)
          .on(AuthApi.TICKET, logins::ticket)
          .onPublic(AuthApi.TICKET_LOGIN, logins::ticketLogin)
          .on(AuthApi.GET, accounts::get)
          .on(AuthApi.LIST, accounts::list)
          .on(AuthApi.ADD, accounts::add)
          .on(AuthApi.DELETE, accounts::delete)
          .on(AuthApi.PASSWD, accounts::passwd)
          .on(AuthApi.LOCK, accounts::lock)
          .on(AuthApi.UNLOCK, accounts::unlock)
          .register();
      })
      .onSuccess(registered -> consumer = registered)
      .onFailure(error -> {
        revocations.close();
        if (hasher != null) {
          hasher.close();
        }
      });
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    // Let queued writes of users.json finish, so a redeploy on the same directory sees them.
    return unregistered.compose(v -> revocations == null ? Future.succeededFuture() : revocations.close())
      .compose(v -> store == null ? Future.succeededFuture() : store.flushed())
      .compose(v -> hasher == null ? Future.succeededFuture() : hasher.close());
  }

  /** Test hook: the hasher, to count verifies on the equal-cost login paths. */
  PasswordHasher hasher() {
    return hasher;
  }
}
