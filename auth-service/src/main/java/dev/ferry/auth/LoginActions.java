package dev.ferry.auth;

import dev.ferry.protocol.bus.RequestFields;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * {@link AuthApi#LOGIN} and {@link AuthApi#RENEW}. PROTOCOL.md section 3: login answers {@code 1}
 * success, {@code 0} no such account, {@code 2} wrong account or password "(also for a role the
 * account does not have)", {@code 9} account locked; "the check costs the same time whether or
 * not the account exists". So every login runs exactly one full PBKDF2 verify: against the
 * account's hash, or the dummy hash for an unknown account, and also when the account is locked.
 * The one exception is a password that passed such a verify of the same stored hash within
 * {@code credentialCacheSeconds} ({@link CredentialCache}): a right password, let in again without
 * one; a wrong one always pays.
 *
 * <p>The lockout after {@code lockoutThreshold} failures binds the account and the client address
 * together ({@link Lockouts}): a correct login from another address is let in.
 *
 * <p>Two refusals come before that, alike for every account: a client address over its rate of
 * failed logins fails RATE_LIMITED without any verify, and a full hashing queue fails BUSY.
 * Every answer but {@code 1} counts as a failure of the client's address; logins under way count
 * against an address that has failed already (see {@link AddressFailureLedger}).
 */
final class LoginActions {

  static final String NO_SUCH_ACCOUNT = "0";
  static final String SUCCESS = "1";
  static final String BAD_CREDENTIALS = "2";
  static final String LOCKED = "9";
  private static final System.Logger LOG = System.getLogger(LoginActions.class.getName());

  private final AccountStore store;
  private final PasswordHasher hasher;
  private final Lockouts lockouts;
  private final AddressFailureLedger addresses;
  private final CredentialCache verified;
  private final TokenSigner tokens;
  private final SessionTickets tickets;

  LoginActions(AccountStore store, PasswordHasher hasher, Lockouts lockouts, AddressFailureLedger addresses,
               CredentialCache verified, TokenSigner tokens, SessionTickets tickets) {
    this.store = store;
    this.hasher = hasher;
    this.lockouts = lockouts;
    this.addresses = addresses;
    this.verified = verified;
    this.tokens = tokens;
    this.tickets = tickets;
  }

  /**
   * {account, password, role, clientAddress} -> {code, account[, role, token]}: the code is an
   * outcome; fails RATE_LIMITED or BUSY when the login was not tried at all, UNAVAILABLE when the
   * account store cannot be reached.
   */
  Future<JsonObject> login(JsonObject body) {
    String name = RequestFields.orEmpty(body, AuthApi.ACCOUNT);
    String password = RequestFields.orEmpty(body, AuthApi.PASSWORD);
    Optional<Role> asked = Role.parse(RequestFields.orEmpty(body, AuthApi.ROLE));
    String address = RequestFields.orEmpty(body, AuthApi.CLIENT_ADDRESS);
    if (!addresses.begin(address)) {
      return Future.failedFuture(Failure.RATE_LIMITED.exception());
    }
    Future<JsonObject> outcome = store.find(name).compose(stored -> {
      if (stored.isEmpty()) {
        return hasher.verifyDummy(password).map(ignored -> answer(name, NO_SUCH_ACCOUNT));
      }
      String verifiedHash = stored.get().hash();
      if (verified.matches(name, verifiedHash, password)) {
        // The same password passed a full verify of this very hash lately: no second PBKDF2.
        return decide(name, address, asked, verifiedHash, true);
      }
      return hasher.verify(verifiedHash, password)
        .compose(matches -> decide(name, address, asked, verifiedHash, matches))
        .onSuccess(answer -> {
          if (SUCCESS.equals(answer.getString(AuthApi.CODE))) {
            verified.remember(name, verifiedHash, password);
          }
        });
    });
    // A login not tried (the hashing queue full, the store unreachable) is no failure of the address.
    return outcome.andThen(done -> addresses.end(address, done.succeeded() && !SUCCESS.equals(done.result().getString(AuthApi.CODE))));
  }

  /** Decides on the account as it is now: it may have changed while the hash ran. */
  private Future<JsonObject> decide(String name, String address, Optional<Role> asked, String verifiedHash, boolean matches) {
    return store.find(name).compose(current -> {
      if (current.isEmpty()) {
        return Future.succeededFuture(answer(name, NO_SUCH_ACCOUNT));
      }
      Account account = current.get();
      if (account.locked()) {
        return Future.succeededFuture(locked(name, address));
      }
      // A role mismatch counts as a failure too: were it not counted, the lockout would reveal
      // which of the guesses made with the wrong role was the right password.
      boolean roleMatches = asked.isPresent() && asked.get() == account.role();
      if (!matches || !roleMatches || !verifiedHash.equals(account.hash())) {
        return lockouts.fail(name, address).map(failed -> switch (failed) {
          case ALREADY_LOCKED -> locked(name, address);
          case NOW_LOCKED -> {
            LOG.log(System.Logger.Level.WARNING, "account " + name + " locked out for address " + address
              + " after too many consecutive failed logins from it");
            yield answer(name, BAD_CREDENTIALS);
          }
          case COUNTED -> answer(name, BAD_CREDENTIALS);
        });
      }
      return lockouts.admit(name, address).map(admitted -> {
        if (!admitted) {
          return locked(name, address);
        }
        LOG.log(System.Logger.Level.INFO, "account " + name + " logged in as " + account.role().wire());
        return answer(name, SUCCESS)
          .put(AuthApi.ROLE, account.role().wire())
          .put(AuthApi.TOKEN, tokens.issue(new Principal(name, account.role())));
      });
    });
  }

  private static JsonObject locked(String name, String address) {
    LOG.log(System.Logger.Level.INFO, "login of locked account " + name + " from " + address + " refused");
    return answer(name, LOCKED);
  }

  /**
   * {} -> {ticket}: a session ticket for the caller, as the account is now; fails
   * NO_SUCH_ACCOUNT, LOCKED, or NO_PERMISSION when the account no longer has the token's role.
   */
  Future<JsonObject> ticket(Principal caller, JsonObject body) {
    return existing(caller.account()).compose(account -> {
      // A lockout after failed logins binds an address, which a logged-in caller has shown it is not.
      if (account.locked()) {
        return Future.failedFuture(Failure.LOCKED.exception());
      }
      if (account.role() != caller.role()) {
        return Future.failedFuture(Failure.NO_PERMISSION.exception());
      }
      return Future.succeededFuture(new JsonObject().put(AuthApi.TICKET_FIELD, tickets.mint(account.name(), account.role(),
        account.hash())));
    });
  }

  /**
   * {account, ticket, clientAddress} -> {code, account[, role, token]}, the answers of
   * {@link #login}, with no password hash at all. A ticket is not a password guess: a refusal
   * counts as a failure of the client's address, never toward the account's lockout, and a
   * success does not clear that count either. Which accounts exist is not told: a ticket that
   * is not authentic answers {@code 2} whatever its account, and only an authentic one learns
   * that its account is locked.
   */
  Future<JsonObject> ticketLogin(JsonObject body) {
    String name = RequestFields.orEmpty(body, AuthApi.ACCOUNT);
    String ticket = RequestFields.orEmpty(body, AuthApi.TICKET_FIELD);
    String address = RequestFields.orEmpty(body, AuthApi.CLIENT_ADDRESS);
    if (!addresses.begin(address)) {
      return Future.failedFuture(Failure.RATE_LIMITED.exception());
    }
    return decideTicket(name, ticket, address)
      .andThen(done -> addresses.end(address, done.succeeded() && !SUCCESS.equals(done.result().getString(AuthApi.CODE))));
  }

  private Future<JsonObject> decideTicket(String name, String ticket, String address) {
    Optional<SessionTickets.Claims> claims = SessionTickets.read(ticket).filter(c -> c.account().equals(name));
    return store.find(name).compose(current -> {
      if (claims.isEmpty() || current.isEmpty() || !tickets.authentic(claims.get(), current.get().hash())) {
        return Future.succeededFuture(answer(name, BAD_CREDENTIALS));
      }
      Account account = current.get();
      Future<Boolean> lockedOut = account.locked() ? Future.succeededFuture(true) : lockouts.isLockedOut(name, address);
      return lockedOut.map(isLocked -> {
        if (isLocked) {
          LOG.log(System.Logger.Level.INFO, "ticket login of locked account " + name + " refused");
          return answer(name, LOCKED);
        }
        if (account.role() != claims.get().role()) {
          return answer(name, BAD_CREDENTIALS);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "account " + name + " logged in with a ticket as " + account.role().wire());
        return answer(name, SUCCESS)
          .put(AuthApi.ROLE, account.role().wire())
          .put(AuthApi.TOKEN, tokens.issue(new Principal(name, account.role())));
      });
    });
  }

  /**
   * {} -> {token}: with the stored role, not the old token's; fails NO_SUCH_ACCOUNT or LOCKED. A
   * revoked token never gets here: the verifier refuses it as UNAUTHENTICATED.
   */
  Future<JsonObject> renew(Principal caller, JsonObject body) {
    return existing(caller.account()).compose(account -> {
      if (account.locked()) {
        return Future.failedFuture(Failure.LOCKED.exception());
      }
      String token = tokens.issue(new Principal(account.name(), account.role()));
      return Future.succeededFuture(new JsonObject().put(AuthApi.TOKEN, token));
    });
  }

  private Future<Account> existing(String name) {
    return store.find(name).compose(found -> found.map(Future::succeededFuture)
      .orElseGet(() -> Future.failedFuture(Failure.NO_SUCH_ACCOUNT.exception())));
  }

  private static JsonObject answer(String name, String code) {
    return new JsonObject().put(AuthApi.CODE, code).put(AuthApi.ACCOUNT, name);
  }
}
