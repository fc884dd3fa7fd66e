package dev.ferry.auth;

import io.vertx.core.Future;

import java.util.Set;

/** The lockouts of one auth process, in its {@link FailureLedger}; answered at once on the event loop. */
final class MemoryLockouts implements Lockouts {

  private final FailureLedger ledger;

  MemoryLockouts(FailureLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public Future<Failed> fail(String account, String address) {
    if (ledger.isLockedOut(account, address)) {
      return Future.succeededFuture(Failed.ALREADY_LOCKED);
    }
    ledger.recordFailure(account, address);
    return Future.succeededFuture(ledger.isLockedOut(account, address) ? Failed.NOW_LOCKED : Failed.COUNTED);
  }

  @Override
  public Future<Boolean> admit(String account, String address) {
    if (ledger.isLockedOut(account, address)) {
      return Future.succeededFuture(false);
    }
    ledger.clear(account, address);
    return Future.succeededFuture(true);
  }

  @Override
  public Future<Boolean> isLockedOut(String account, String address) {
    return Future.succeededFuture(ledger.isLockedOut(account, address));
  }

  @Override
  public Future<Set<String>> lockedOutAccounts() {
    return Future.succeededFuture(ledger.lockedOutAccounts());
  }

  @Override
  public Future<Void> clear(String account) {
    ledger.clear(account);
    return Future.succeededFuture();
  }

  /** Pairs counted, for tests. */
  int size() {
    return ledger.size();
  }
}
