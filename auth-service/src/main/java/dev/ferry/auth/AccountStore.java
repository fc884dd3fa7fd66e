package dev.ferry.auth;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/**
 * Where the accounts live: {@link FileAccountStore} ({@code users.json} in the data directory,
 * the default) or {@link PgAccountStore} (a PostgreSQL database every auth replica shares).
 * Every call completes on the caller's event loop and never blocks it. A change is made in one
 * step of the store (never read, changed and written back by the caller), so changes made at once
 * through two replicas cannot undo each other.
 */
interface AccountStore {

  /** Whether no account exists yet: the first start, which creates the first admin. */
  Future<Boolean> isEmpty();

  Future<Optional<Account>> find(String name);

  /** All accounts, ordered by name. */
  Future<List<Account>> list();

  /** Adds the account unless one of that name exists; whether it was added. */
  Future<Boolean> add(Account account);

  /** Sets the password hash; false when there is no such account. */
  Future<Boolean> setHash(String name, String hash);

  /** Sets the admin's lock; false when there is no such account. */
  Future<Boolean> setLocked(String name, boolean locked);

  /** Deletes the account (nothing when there is none). */
  Future<Void> remove(String name);

  /** Where the accounts are, for messages: the file, or the database URL. */
  String location();

  /** Completes once every change asked for so far is stored, for a clean stop. */
  Future<Void> flushed();
}
