package dev.ferry.auth;

import io.vertx.core.Future;

/** The failed logins per address of one auth process, in its {@link AddressFailureLedger}. */
final class MemoryAddressLimits implements AddressLimits {

  private final AddressFailureLedger ledger;

  MemoryAddressLimits(AddressFailureLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public Future<Boolean> begin(String address) {
    return Future.succeededFuture(ledger.begin(address));
  }

  @Override
  public void end(String address, boolean failed) {
    ledger.end(address, failed);
  }
}
