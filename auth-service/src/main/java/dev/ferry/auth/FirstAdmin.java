package dev.ferry.auth;

import dev.ferry.protocol.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The account a first start creates, when there is no {@code users.json} yet: {@code admin}, with
 * the configured {@code adminPassword}, or the password in the file {@code adminPasswordPath}, or
 * else a generated one that is printed once to the console (never logged) and cannot be recovered
 * afterwards. Later starts leave accounts alone and never read {@code adminPassword} or the file,
 * so a bootstrap Secret mounted as that file can be deleted once the account exists and the
 * password is not kept in the process environment for the life of the pod.
 */
final class FirstAdmin {

  static final String NAME = "admin";
  static final int GENERATED_PASSWORD_LENGTH = 24;
  private static final System.Logger LOG = System.getLogger(FirstAdmin.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  private FirstAdmin() {
  }

  static Future<Void> createIfFirstStart(Vertx vertx, AccountStore store, PasswordHasher hasher, AuthOptions options,
                                         PrintStream console) {
    return store.isEmpty().compose(empty -> empty ? create(vertx, store, hasher, options, console) : Future.succeededFuture());
  }

  private static Future<Void> create(Vertx vertx, AccountStore store, PasswordHasher hasher, AuthOptions options,
                                     PrintStream console) {
    Future<String> configuredPassword = options.adminPasswordPath() == null
      ? Future.succeededFuture(options.adminPassword())
      : vertx.executeBlocking(() -> readPasswordFile(options.adminPasswordPath()), false);
    return configuredPassword.compose(configured -> create(store, hasher, options, console, configured));
  }

  private static Future<Void> create(AccountStore store, PasswordHasher hasher, AuthOptions options, PrintStream console,
                                     String configured) {
    String password = configured != null
      ? configured
      : PasswordHasher.randomSecret(RANDOM, GENERATED_PASSWORD_LENGTH);
    return hasher.hash(password)
      // Added only if still absent: another replica starting on the same database may have won.
      .compose(hash -> store.add(new Account(NAME, Role.ADMIN, hash, false)))
      .onSuccess(added -> {
        if (!added) {
          return;
        }
        LOG.log(System.Logger.Level.INFO, "first start: created account " + NAME + " in " + store.location());
        if (configured == null) {
          // Only once the account is stored: a password for an account that was not saved is no use.
          console.println("ferry: created account " + NAME + " with password " + password
            + " (shown once; change it with passwd)");
          console.flush();
        }
      })
      .mapEmpty();
  }

  /** The file's one line, its line end left out; blocking. Its content is never echoed: a password. */
  static String readPasswordFile(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot read adminPasswordPath " + file + " on the first start: " + e.getMessage(), e);
    }
    String password = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
      : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    if (!AuthOptions.isStrongEnough(password)) {
      throw new IllegalArgumentException("the password in adminPasswordPath " + file + " must have at least "
        + AuthOptions.MIN_PASSWORD_LENGTH + " characters");
    }
    return password;
  }
}
