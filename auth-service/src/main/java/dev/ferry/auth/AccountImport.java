package dev.ferry.auth;

import dev.ferry.auth.db.AccountDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ferry-server --import-accounts}, the accounts part: every account of a single server's
 * {@code users.json} into the account database, so that install can grow into a cluster. An
 * account the database has already is left as it is (the database is the truth once a cluster
 * uses it), so running the import again changes nothing.
 */
public final class AccountImport {

  /** What an import did. */
  public record Result(int added, int alreadyThere) {
  }

  private AccountImport() {
  }

  /** Imports {@code usersFile}; fails when it is missing or cannot be parsed. */
  public static Future<Result> importUsers(Vertx vertx, AccountDatabase database, Path usersFile) {
    return vertx.executeBlocking(() -> {
        if (!Files.exists(usersFile)) {
          throw new IllegalArgumentException("there is no " + usersFile + " to import");
        }
        return AccountsFile.parse(usersFile, Files.readAllBytes(usersFile));
      }, false)
      .compose(accounts -> add(new PgAccountStore(database.pool(), database.url()), accounts));
  }

  private static Future<Result> add(PgAccountStore store, Map<String, Account> accounts) {
    List<Future<Boolean>> added = new ArrayList<>();
    // One at a time: an import is small and rare, and need not take every connection of the pool.
    Future<Void> done = Future.succeededFuture();
    for (Account account : accounts.values()) {
      done = done.compose(v -> {
        Future<Boolean> one = store.add(account);
        added.add(one);
        return one.mapEmpty();
      });
    }
    return done.map(v -> {
      int count = (int) added.stream().filter(Future::result).count();
      return new Result(count, added.size() - count);
    });
  }
}
