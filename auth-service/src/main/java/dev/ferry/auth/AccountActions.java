package dev.ferry.auth;

import dev.ferry.protocol.bus.RequestFields;
import dev.ferry.protocol.AccountName;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.TokenRevocations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Account management: {@link AuthApi#GET}, {@link AuthApi#LIST}, {@link AuthApi#ADD},
 * {@link AuthApi#DELETE}, {@link AuthApi#PASSWD}, {@link AuthApi#LOCK}, {@link AuthApi#UNLOCK}.
 * PROTOCOL.md section 7: only for an admin, "except that any user may change their own password";
 * everyone else gets NO_PERMISSION. Guard clauses run before any hashing or writing; they throw
 * the typed {@link Failure}, which {@link dev.ferry.protocol.bus.BusService} turns into the failed
 * reply exactly as it does a failed future.
 */
final class AccountActions {

  private static final System.Logger LOG = System.getLogger(AccountActions.class.getName());

  private final AccountStore store;
  private final PasswordHasher hasher;
  private final FailureLedger ledger;
  private final CredentialCache verified;
  private final TokenRevocations revocations;
  private final TokenSigner tokens;
  private final AccountChanges changes;

  AccountActions(AccountStore store, PasswordHasher hasher, FailureLedger ledger, CredentialCache verified,
                 TokenRevocations revocations, TokenSigner tokens, AccountChanges changes) {
    this.store = store;
    this.hasher = hasher;
    this.ledger = ledger;
    this.verified = verified;
    this.revocations = revocations;
    this.tokens = tokens;
    this.changes = changes;
  }

  /** {account} -> {account, role, locked} (admin or self). */
  Future<JsonObject> get(Principal caller, JsonObject body) {
    String name = RequestFields.required(body, AuthApi.ACCOUNT);
    if (!caller.mayManage(name)) {
      throw Failure.NO_PERMISSION.exception();
    }
    return Future.succeededFuture(describe(existing(name)));
  }

  /** {} -> {accounts: [{account, role, locked}]}, ordered by name (admin). */
  Future<JsonObject> list(Principal caller, JsonObject body) {
    requireAdmin(caller);
    JsonArray accounts = new JsonArray();
    store.list().forEach(a -> accounts.add(describe(a)));
    return Future.succeededFuture(new JsonObject().put(AuthApi.ACCOUNTS, accounts));
  }

  /** {account, password, role} -> {} (admin); fails BAD_NAME, BAD_REQUEST, WEAK_PASSWORD, ALREADY_EXISTS. */
  Future<JsonObject> add(Principal caller, JsonObject body) {
    requireAdmin(caller);
    String name = RequestFields.optional(body, AuthApi.ACCOUNT);
    String password = RequestFields.optional(body, AuthApi.PASSWORD);
    String roleWire = RequestFields.optional(body, AuthApi.ROLE);
    if (!AccountName.isValid(name)) {
      throw Failure.BAD_NAME.exception();
    }
    Role role = Role.parse(roleWire).orElseThrow(() -> Failure.BAD_REQUEST.exception("role must be admin or user"));
    if (!AuthOptions.isStrongEnough(password)) {
      throw Failure.WEAK_PASSWORD.exception();
    }
    if (store.find(name).isPresent()) {
      throw Failure.ALREADY_EXISTS.exception();
    }
    return hasher.hash(password)
      .compose(hash -> {
        // Checked again: another add of the same name may have finished while this one hashed.
        if (store.find(name).isPresent()) {
          return Future.failedFuture(Failure.ALREADY_EXISTS.exception());
        }
        ledger.clear(name);
        return store.put(new Account(name, role, hash, false));
      })
      .andThen(stored -> announceIf(stored.succeeded(), name, AccountChanges.Change.ADDED))
      .map(v -> done(caller, "added account " + name + " (" + role.wire() + ")"));
  }

  /** {account} -> {role: the deleted account's} (admin, not oneself). */
  Future<JsonObject> delete(Principal caller, JsonObject body) {
    requireAdmin(caller);
    String name = RequestFields.required(body, AuthApi.ACCOUNT);
    if (name.equals(caller.account())) {
      throw Failure.NO_PERMISSION.exception("an admin cannot delete their own account");
    }
    Account account = existing(name);
    ledger.clear(name);
    verified.forget(name);
    // Revoked after the change, so no login between the two gets a token that outlives it.
    return store.remove(name)
      .andThen(stored -> announceIf(stored.succeeded(), name, AccountChanges.Change.DELETED))
      .compose(v -> revocations.revoke(name))
      .map(v -> done(caller, "deleted account " + name).put(AuthApi.ROLE, account.role().wire()));
  }

  /**
   * {account, password, oldPassword?} -> {token?}: the admin sets anyone's password; a user only
   * their own, proven with the old one (a missing or wrong one fails BAD_CREDENTIALS). Every token
   * of the account issued before is revoked; a caller who changed their own password gets a fresh
   * token, so the session that made the change goes on while every other one ends.
   */
  Future<JsonObject> passwd(Principal caller, JsonObject body) {
    String name = RequestFields.required(body, AuthApi.ACCOUNT);
    String password = RequestFields.optional(body, AuthApi.PASSWORD);
    String oldPassword = RequestFields.optional(body, AuthApi.OLD_PASSWORD);
    boolean admin = isActiveAdmin(caller);
    if (!admin && !name.equals(caller.account())) {
      throw Failure.NO_PERMISSION.exception();
    }
    if (!AuthOptions.isStrongEnough(password)) {
      throw Failure.WEAK_PASSWORD.exception();
    }
    Account account = existing(name);
    Future<Void> proven = admin ? Future.succeededFuture() : proveOldPassword(account, oldPassword);
    return proven
      .compose(v -> hasher.hash(password))
      // The account as it is now: it may have been locked or deleted while the hashes ran.
      .compose(hash -> {
        verified.forget(name);
        return store.put(existing(name).withHash(hash));
      })
      .andThen(stored -> announceIf(stored.succeeded(), name, AccountChanges.Change.PASSWORD))
      .compose(v -> revocations.revoke(name))
      .map(v -> {
        JsonObject reply = done(caller, "changed the password of account " + name);
        if (name.equals(caller.account())) {
          reply.put(AuthApi.TOKEN, tokens.issue(new Principal(name, existing(name).role())));
        }
        return reply;
      });
  }

  /** {account} -> {} (admin, not oneself). */
  Future<JsonObject> lock(Principal caller, JsonObject body) {
    requireAdmin(caller);
    String name = RequestFields.required(body, AuthApi.ACCOUNT);
    if (name.equals(caller.account())) {
      throw Failure.NO_PERMISSION.exception("an admin cannot lock their own account");
    }
    verified.forget(name);
    return setLocked(caller, existing(name), true);
  }

  /** {account} -> {} (admin): lifts the admin's lock and the lockouts after failed logins of every address. */
  Future<JsonObject> unlock(Principal caller, JsonObject body) {
    requireAdmin(caller);
    Account account = existing(RequestFields.required(body, AuthApi.ACCOUNT));
    ledger.clear(account.name());
    return setLocked(caller, account, false);
  }

  private Future<JsonObject> setLocked(Principal caller, Account account, boolean locked) {
    Future<Void> saved = account.locked() == locked ? Future.succeededFuture() : store.put(account.withLocked(locked));
    // Announced even when the stored flag was already so: an unlock also lifts the lockouts.
    saved = saved.andThen(stored -> announceIf(stored.succeeded(), account.name(),
      locked ? AccountChanges.Change.LOCKED : AccountChanges.Change.UNLOCKED));
    if (locked) {
      saved = saved.compose(v -> revocations.revoke(account.name())).mapEmpty();
    }
    return saved.map(v -> done(caller, (locked ? "locked" : "unlocked") + " account " + account.name()));
  }

  private void announceIf(boolean stored, String account, AccountChanges.Change change) {
    if (stored) {
      changes.announce(account, change);
    }
  }

  private Future<Void> proveOldPassword(Account account, String oldPassword) {
    if (oldPassword == null) {
      return Future.failedFuture(Failure.BAD_CREDENTIALS.exception());
    }
    return hasher.verify(account.hash(), oldPassword)
      .compose(ok -> ok ? Future.succeededFuture() : Future.failedFuture(Failure.BAD_CREDENTIALS.exception()));
  }

  /**
   * An admin token is honoured only while its account still exists as an unlocked admin: a token
   * outlives a delete or a lock by up to its time to live.
   */
  private boolean isActiveAdmin(Principal caller) {
    return caller.isAdmin() && store.find(caller.account())
      .filter(a -> a.role() == Role.ADMIN && !a.locked())
      .isPresent();
  }

  private void requireAdmin(Principal caller) {
    if (!isActiveAdmin(caller)) {
      throw Failure.NO_PERMISSION.exception();
    }
  }

  private Account existing(String name) {
    return store.find(name).orElseThrow(Failure.NO_SUCH_ACCOUNT::exception);
  }

  /**
   * {@code locked} is true under the admin's lock and while any client address is locked out of
   * the account after failed logins (other addresses may still log in).
   */
  private JsonObject describe(Account account) {
    return new JsonObject()
      .put(AuthApi.ACCOUNT, account.name())
      .put(AuthApi.ROLE, account.role().wire())
      .put(AuthApi.LOCKED, account.locked() || ledger.isLockedOutAnywhere(account.name()));
  }

  private static JsonObject done(Principal caller, String what) {
    LOG.log(System.Logger.Level.INFO, caller.account() + " " + what);
    return new JsonObject();
  }
}
