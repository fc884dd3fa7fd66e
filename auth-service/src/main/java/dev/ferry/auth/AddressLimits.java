package dev.ferry.auth;

import io.vertx.core.Future;

/**
 * The limit of failed logins per client address and minute (see {@link AddressFailureLedger} for
 * the rule): counted in memory by one auth process ({@link MemoryAddressLimits}), or in the shared
 * database across every replica ({@link PgAddressLimits}).
 */
interface AddressLimits {

  /**
   * A login from {@code address} begins: false, counting nothing, when the address is over its
   * limit with the logins it has under way; else {@link #end} must follow.
   */
  Future<Boolean> begin(String address);

  /** A login {@link #begin} admitted is over; {@code failed} counts it as a failure. */
  void end(String address, boolean failed);
}
