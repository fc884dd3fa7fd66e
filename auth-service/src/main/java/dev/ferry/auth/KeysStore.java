package dev.ferry.auth;

import io.vertx.core.Future;

import java.util.List;

/**
 * Where each account's SSH public keys live, beside its account: {@link AuthorizedKeys} (a file
 * in the data directory) with the file store, {@link PgKeysStore} (the shared database, so every
 * auth replica sees a key set through any of them) with PostgreSQL. Keys are "type blob" lines
 * as {@link AuthorizedKeys#parse} gives them. Every call completes without blocking an event loop.
 */
interface KeysStore {

  /** The account's keys; none when it has none. */
  Future<List<String>> of(String account);

  /** Replaces the account's keys (none: removes them). */
  Future<Void> set(String account, List<String> keys);
}
