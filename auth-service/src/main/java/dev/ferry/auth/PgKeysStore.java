package dev.ferry.auth;

import dev.ferry.auth.db.AccountDatabase;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/**
 * The SSH public keys in the {@code account_keys} table of the shared database, one row per
 * account holding its keys, removed with the account. Nothing is held in memory, so a key set
 * through one replica logs in through every other at once.
 */
final class PgKeysStore implements KeysStore {

  private final Pool pool;

  PgKeysStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<List<String>> of(String account) {
    return pool.preparedQuery("SELECT keys FROM account_keys WHERE account = $1").execute(Tuple.of(account))
      .map(rows -> rows.size() == 0 ? List.<String>of() : List.of(rows.iterator().next().getArrayOfStrings("keys")))
      .recover(AccountDatabase::unavailable);
  }

  @Override
  public Future<Void> set(String account, List<String> keys) {
    if (keys.isEmpty()) {
      return pool.preparedQuery("DELETE FROM account_keys WHERE account = $1").execute(Tuple.of(account))
        .<Void>mapEmpty()
        .recover(AccountDatabase::unavailable);
    }
    // Only for an account that exists; one deleted meanwhile keeps no keys.
    return pool.preparedQuery("INSERT INTO account_keys (account, keys) SELECT name, $2::text[] FROM accounts WHERE name = $1 "
        + "ON CONFLICT (account) DO UPDATE SET keys = EXCLUDED.keys, updated_at = now()")
      .execute(Tuple.tuple().addString(account).addArrayOfString(keys.toArray(new String[0])))
      .<Void>mapEmpty()
      .recover(AccountDatabase::unavailable);
  }
}
