package dev.ferry.auth;

import dev.ferry.protocol.Role;
import io.vertx.core.Future;

import java.io.PrintStream;
import java.security.SecureRandom;

/**
 * The account a first start creates, when there is no {@code users.json} yet: {@code admin}, with
 * the configured {@code adminPassword}, or else a generated one that is printed once to the
 * console (never logged) and cannot be recovered afterwards. Later starts leave accounts alone and
 * ignore {@code adminPassword}.
 */
final class FirstAdmin {

  static final String NAME = "admin";
  static final int GENERATED_PASSWORD_LENGTH = 24;
  private static final System.Logger LOG = System.getLogger(FirstAdmin.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  private FirstAdmin() {
  }

  static Future<Void> createIfFirstStart(AccountStore store, PasswordHasher hasher, AuthOptions options,
                                         PrintStream console) {
    if (store.existedOnOpen()) {
      return Future.succeededFuture();
    }
    String configured = options.adminPassword();
    String password = configured != null
      ? configured
      : PasswordHasher.randomSecret(RANDOM, GENERATED_PASSWORD_LENGTH);
    return hasher.hash(password)
      .compose(hash -> store.put(new Account(NAME, Role.ADMIN, hash, false)))
      .onSuccess(v -> {
        LOG.log(System.Logger.Level.INFO, "first start: created account " + NAME + " in " + options.usersFile());
        if (configured == null) {
          // Only once the account is stored: a password for an account that was not saved is no use.
          console.println("ferry: created account " + NAME + " with password " + password
            + " (shown once; change it with passwd)");
          console.flush();
        }
      });
  }
}
