package dev.ferry.auth;

import dev.ferry.protocol.Role;
import dev.ferry.auth.db.AccountDatabase;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The accounts in the {@code accounts} table of the shared PostgreSQL database. Nothing is held
 * in memory: every replica reads the row as it is now, so a change made through one replica
 * (passwd, lock, userdel) holds on every other at once.
 */
final class PgAccountStore implements AccountStore {

  private static final String COLUMNS = "name, role, hash, locked";

  private final Pool pool;
  private final String url;

  PgAccountStore(Pool pool, String url) {
    this.pool = pool;
    this.url = url;
  }

  @Override
  public String location() {
    return url;
  }

  @Override
  public Future<Boolean> isEmpty() {
    return pool.query("SELECT NOT EXISTS (SELECT 1 FROM accounts)").execute()
      .map(rows -> rows.iterator().next().getBoolean(0))
      .recover(AccountDatabase::unavailable);
  }

  @Override
  public Future<Optional<Account>> find(String name) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM accounts WHERE name = $1").execute(Tuple.of(name))
      .map(rows -> rows.size() == 0 ? Optional.<Account>empty() : Optional.of(account(rows.iterator().next())))
      .recover(AccountDatabase::unavailable);
  }

  @Override
  public Future<List<Account>> list() {
    // Byte order, as the file store's sorted map of names.
    return pool.query("SELECT " + COLUMNS + " FROM accounts ORDER BY name COLLATE \"C\"").execute()
      .map(rows -> {
        List<Account> accounts = new ArrayList<>(rows.size());
        rows.forEach(row -> accounts.add(account(row)));
        return accounts;
      })
      .recover(AccountDatabase::unavailable);
  }

  @Override
  public Future<Boolean> add(Account account) {
    return changesOne("INSERT INTO accounts (" + COLUMNS + ") VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING",
      Tuple.of(account.name(), account.role().wire(), account.hash(), account.locked()));
  }

  /** Runs one statement; whether it changed a row (an account exists, or was added). */
  private Future<Boolean> changesOne(String sql, Tuple arguments) {
    return pool.preparedQuery(sql).execute(arguments)
      .map(rows -> rows.rowCount() == 1)
      .recover(AccountDatabase::unavailable);
  }

  @Override
  public Future<Boolean> setHash(String name, String hash) {
    return changesOne("UPDATE accounts SET hash = $2, updated_at = now() WHERE name = $1", Tuple.of(name, hash));
  }

  @Override
  public Future<Boolean> setLocked(String name, boolean locked) {
    return changesOne("UPDATE accounts SET locked = $2, updated_at = now() WHERE name = $1", Tuple.of(name, locked));
  }

  @Override
  public Future<Void> remove(String name) {
    return pool.preparedQuery("DELETE FROM accounts WHERE name = $1").execute(Tuple.of(name))
      .<Void>mapEmpty()
      .recover(AccountDatabase::unavailable);
  }

  @Override
  public Future<Void> flushed() {
    return Future.succeededFuture();
  }

  private static Account account(Row row) {
    String name = row.getString("name");
    Role role = Role.parse(row.getString("role"))
      .orElseThrow(() -> new IllegalStateException("account " + name + " has an invalid role in the database"));
    return new Account(name, role, row.getString("hash"), row.getBoolean("locked"));
  }
}
