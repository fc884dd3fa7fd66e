package dev.ferry.auth;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/**
 * The accounts of one server in {@code <data>/users.json} ({@link AccountsFile}): read from
 * memory, each change applied at once on the event loop and persisted in order.
 */
final class FileAccountStore implements AccountStore {

  private final AccountsFile file;

  FileAccountStore(AccountsFile file) {
    this.file = file;
  }

  @Override
  public Future<Boolean> isEmpty() {
    return Future.succeededFuture(!file.existedOnOpen() && file.list().isEmpty());
  }

  @Override
  public Future<Optional<Account>> find(String name) {
    return Future.succeededFuture(file.find(name));
  }

  @Override
  public Future<List<Account>> list() {
    return Future.succeededFuture(file.list());
  }

  @Override
  public Future<Boolean> add(Account account) {
    if (file.find(account.name()).isPresent()) {
      return Future.succeededFuture(false);
    }
    return file.put(account).map(true);
  }

  @Override
  public Future<Boolean> setHash(String name, String hash) {
    return file.find(name).map(a -> file.put(a.withHash(hash)).map(true)).orElse(Future.succeededFuture(false));
  }

  @Override
  public Future<Boolean> setLocked(String name, boolean locked) {
    return file.find(name)
      .map(a -> a.locked() == locked ? Future.succeededFuture(true) : file.put(a.withLocked(locked)).map(true))
      .orElse(Future.succeededFuture(false));
  }

  @Override
  public Future<Void> remove(String name) {
    return file.remove(name);
  }

  @Override
  public String location() {
    return file.path().toString();
  }

  @Override
  public Future<Void> flushed() {
    return file.flushed();
  }
}
