package dev.ferry.auth;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.RequestFields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;

/**
 * {@link AuthApi#SET_KEYS} and {@link AuthApi#KEY_LOGIN}: the SSH public keys an account logs in
 * with at the SFTP door. The door checks the client's signature with the key before the session
 * counts; this only says whether the key is one of the account's. A refused key is no failed
 * login (an SSH client offers each of its keys in turn), but a locked account or address is
 * refused as with a password.
 */
final class KeyActions {

  private static final System.Logger LOG = System.getLogger(KeyActions.class.getName());

  private final AccountStore store;
  private final KeysStore keys;
  private final Lockouts lockouts;
  private final TokenSigner tokens;

  KeyActions(AccountStore store, KeysStore keys, Lockouts lockouts, TokenSigner tokens) {
    this.store = store;
    this.keys = keys;
    this.lockouts = lockouts;
    this.tokens = tokens;
  }

  /** {account, keys} -> {}: the admin sets anyone's keys, a user their own; empty keys remove them. */
  Future<JsonObject> setKeys(Principal caller, JsonObject body) {
    String name = RequestFields.required(body, AuthApi.ACCOUNT);
    if (caller.role() != Role.ADMIN && !name.equals(caller.account())) {
      throw Failure.NO_PERMISSION.exception("only an admin sets another account's keys");
    }
    List<String> parsed = AuthorizedKeys.parse(RequestFields.orEmpty(body, AuthApi.KEYS));
    return store.find(name).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(Failure.NO_SUCH_ACCOUNT.exception());
      }
      return keys.set(name, parsed).map(v -> {
        LOG.log(System.Logger.Level.INFO, caller.account() + " set " + parsed.size() + " SSH key(s) of account " + name);
        return new JsonObject();
      });
    });
  }

  /** Removes a deleted account's keys, so that a new account of that name does not inherit them. */
  Future<Void> forget(String account) {
    return keys.of(account).compose(held -> held.isEmpty() ? Future.succeededFuture() : keys.set(account, List.of()));
  }

  /** {account, publicKey, clientAddress} -> {code, account[, role, token]}, codes as {@link AuthApi#LOGIN}. */
  Future<JsonObject> keyLogin(JsonObject body) {
    String name = RequestFields.orEmpty(body, AuthApi.ACCOUNT);
    String address = RequestFields.orEmpty(body, AuthApi.CLIENT_ADDRESS);
    String publicKey = RequestFields.orEmpty(body, AuthApi.PUBLIC_KEY);
    JsonObject answer = new JsonObject().put(AuthApi.ACCOUNT, name);
    String offered = oneKey(publicKey);
    if (offered == null) {
      return Future.succeededFuture(answer.put(AuthApi.CODE, "2"));
    }
    return Future.all(store.find(name), keys.of(name)).compose(both -> {
      Optional<Account> stored = both.resultAt(0);
      List<String> held = both.resultAt(1);
      if (stored.isEmpty() || !held.contains(offered)) {
        return Future.succeededFuture(answer.put(AuthApi.CODE, "2"));
      }
      Account account = stored.get();
      return (account.locked() ? Future.succeededFuture(true) : lockouts.isLockedOut(name, address)).map(locked -> locked
        ? answer.put(AuthApi.CODE, "9")
        : answer.put(AuthApi.CODE, "1").put(AuthApi.ROLE, account.role().wire())
          .put(AuthApi.TOKEN, tokens.issue(new Principal(name, account.role()))));
    });
  }

  /** The offered key as "type blob", or null when it is not exactly one valid key. */
  private static String oneKey(String publicKey) {
    try {
      List<String> parsed = AuthorizedKeys.parse(publicKey);
      return parsed.size() == 1 ? parsed.get(0) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
