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

import java.util.List;
import java.util.Set;

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
  private final Lockouts lockouts;
  private final CredentialCache verified;
  private final TokenRevocations revocations;
  private final TokenSigner tokens;
  private final AccountChanges changes;

  AccountActions(AccountStore store, PasswordHasher hasher, Lockouts lockouts, CredentialCache verified,
                 TokenRevocations revocations, TokenSigner tokens, AccountChanges changes) {
    this.store = store;
    this.hasher = hasher;
    this.lockouts = lockouts;
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
    return existing(name).compose(account -> lockouts.lockedOutAccounts().map(lockedOut -> describe(account, lockedOut)));
  }

  /** {} -> {accounts: [{account, role, locked}]}, ordered by name (admin). */
  Future<JsonObject> list(Principal caller, JsonObject body) {
    return requireAdmin(caller)
      .compose(v -> Future.all(store.list(), lockouts.lockedOutAccounts()))
      .map(both -> {
        List<Account> all = both.resultAt(0);
        Set<String> lockedOut = both.resultAt(1);
        JsonArray accounts = new JsonArray();
        all.forEach(a -> accounts.add(describe(a, lockedOut)));
        return new JsonObject().put(AuthApi.ACCOUNTS, accounts);
      });
  }

  /** {account, password, role} -> {} (admin); fails BAD_NAME, BAD_REQUEST, WEAK_PASSWORD, ALREADY_EXISTS. */
  Future<JsonObject> add(Principal caller, JsonObject body) {
    String name = RequestFields.optional(body, AuthApi.ACCOUNT);
    String password = RequestFields.optional(body, AuthApi.PASSWORD);
    String roleWire = RequestFields.optional(body, AuthApi.ROLE);
    return requireAdmin(caller).compose(v -> {
      if (!AccountName.isValid(name)) {
        throw Failure.BAD_NAME.exception();
      }
      Role role = Role.parse(roleWire).orElseThrow(() -> Failure.BAD_REQUEST.exception("role must be admin or user"));
      if (!AuthOptions.isStrongEnough(password)) {
        throw Failure.WEAK_PASSWORD.exception();
      }
      return store.find(name)
        .compose(found -> found.isPresent() ? Future.failedFuture(Failure.ALREADY_EXISTS.exception()) : hasher.hash(password))
        .compose(hash -> lockouts.clear(name).compose(cleared -> store.add(new Account(name, role, hash, false))))
        // Added only if still absent: another add of the same name may have finished while this one hashed.
        .compose(added -> added ? Future.succeededFuture(announced(name, AccountChanges.Change.ADDED))
          .map(a -> done(caller, "added account " + name + " (" + role.wire() + ")"))
          : Future.failedFuture(Failure.ALREADY_EXISTS.exception()));
    });
  }

  /** {account} -> {role: the deleted account's} (admin, not oneself). */
  Future<JsonObject> delete(Principal caller, JsonObject body) {
    return requireAdmin(caller).compose(v -> {
      String name = RequestFields.required(body, AuthApi.ACCOUNT);
      if (name.equals(caller.account())) {
        throw Failure.NO_PERMISSION.exception("an admin cannot delete their own account");
      }
      return existing(name).compose(account -> {
        verified.forget(name);
        // Revoked after the change, so no login between the two gets a token that outlives it.
        return lockouts.clear(name)
          .compose(cleared -> store.remove(name))
          .andThen(removed -> announceIf(removed.succeeded(), name, AccountChanges.Change.DELETED))
          .compose(removed -> revocations.revoke(name))
          .map(revoked -> done(caller, "deleted account " + name).put(AuthApi.ROLE, account.role().wire()));
      });
    });
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
    return isActiveAdmin(caller).compose(admin -> {
      if (!admin && !name.equals(caller.account())) {
        throw Failure.NO_PERMISSION.exception();
      }
      if (!AuthOptions.isStrongEnough(password)) {
        throw Failure.WEAK_PASSWORD.exception();
      }
      return existing(name)
        .compose(account -> admin ? Future.succeededFuture() : proveOldPassword(account, oldPassword))
        .compose(v -> hasher.hash(password))
        // Set on the account as it is now: it may have been locked or deleted while the hashes ran.
        .compose(hash -> {
          verified.forget(name);
          return store.setHash(name, hash);
        })
        .andThen(found -> announceIf(found.succeeded() && found.result(), name, AccountChanges.Change.PASSWORD))
        .compose(found -> found ? revocations.revoke(name) : Future.failedFuture(Failure.NO_SUCH_ACCOUNT.exception()))
        .compose(v -> {
          JsonObject reply = done(caller, "changed the password of account " + name);
          if (!name.equals(caller.account())) {
            return Future.succeededFuture(reply);
          }
          return existing(name).map(account -> reply.put(AuthApi.TOKEN, tokens.issue(new Principal(name, account.role()))));
        });
    });
  }

  /** {account} -> {} (admin, not oneself). */
  Future<JsonObject> lock(Principal caller, JsonObject body) {
    return requireAdmin(caller).compose(v -> {
      String name = RequestFields.required(body, AuthApi.ACCOUNT);
      if (name.equals(caller.account())) {
        throw Failure.NO_PERMISSION.exception("an admin cannot lock their own account");
      }
      verified.forget(name);
      return setLocked(caller, name, true);
    });
  }

  /** {account} -> {} (admin): lifts the admin's lock and the lockouts after failed logins of every address. */
  Future<JsonObject> unlock(Principal caller, JsonObject body) {
    return requireAdmin(caller).compose(v -> {
      String name = RequestFields.required(body, AuthApi.ACCOUNT);
      return existing(name).compose(account -> lockouts.clear(name)).compose(cleared -> setLocked(caller, name, false));
    });
  }

  private Future<JsonObject> setLocked(Principal caller, String name, boolean locked) {
    Future<Void> saved = store.setLocked(name, locked)
      .compose(found -> found ? Future.succeededFuture() : Future.failedFuture(Failure.NO_SUCH_ACCOUNT.exception()));
    // Announced on every unlock, stored flag changed or not: an unlock also lifts the lockouts.
    saved = saved.andThen(stored -> announceIf(stored.succeeded(), name,
      locked ? AccountChanges.Change.LOCKED : AccountChanges.Change.UNLOCKED));
    if (locked) {
      saved = saved.compose(v -> revocations.revoke(name)).mapEmpty();
    }
    return saved.map(v -> done(caller, (locked ? "locked" : "unlocked") + " account " + name));
  }

  private void announceIf(boolean stored, String account, AccountChanges.Change change) {
    if (stored) {
      changes.announce(account, change);
    }
  }

  private String announced(String account, AccountChanges.Change change) {
    changes.announce(account, change);
    return account;
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
  private Future<Boolean> isActiveAdmin(Principal caller) {
    if (!caller.isAdmin()) {
      return Future.succeededFuture(false);
    }
    return store.find(caller.account()).map(found -> found.filter(a -> a.role() == Role.ADMIN && !a.locked()).isPresent());
  }

  private Future<Void> requireAdmin(Principal caller) {
    return isActiveAdmin(caller)
      .compose(admin -> admin ? Future.succeededFuture() : Future.failedFuture(Failure.NO_PERMISSION.exception()));
  }

  private Future<Account> existing(String name) {
    return store.find(name).compose(found -> found.map(Future::succeededFuture)
      .orElseGet(() -> Future.failedFuture(Failure.NO_SUCH_ACCOUNT.exception())));
  }

  /**
   * {@code locked} is true under the admin's lock and while any client address is locked out of
   * the account after failed logins (other addresses may still log in).
   */
  private static JsonObject describe(Account account, Set<String> lockedOut) {
    return new JsonObject()
      .put(AuthApi.ACCOUNT, account.name())
      .put(AuthApi.ROLE, account.role().wire())
      .put(AuthApi.LOCKED, account.locked() || lockedOut.contains(account.name()));
  }

  private static JsonObject done(Principal caller, String what) {
    LOG.log(System.Logger.Level.INFO, caller.account() + " " + what);
    return new JsonObject();
  }
}
