package dev.ferry.auth;

import io.vertx.core.Future;

import java.util.Set;

/**
 * The lockout after consecutive failed logins, per account and client address (see
 * {@link FailureLedger} for the rule): in memory for the file store ({@link MemoryLockouts}), in
 * the shared database for PostgreSQL ({@link PgLockouts}), where each decision is one atomic
 * statement, so failures counted through several replicas at once lock the account after exactly
 * {@code lockoutThreshold} of them, and no login is let in past a lockout another replica started.
 */
interface Lockouts {

  /** What counting a failed login came to. */
  enum Failed {
    /** The pair was locked out already: the attempt is refused as locked and counts nothing. */
    ALREADY_LOCKED,
    /** This failure reached the threshold and started the lockout. */
    NOW_LOCKED,
    /** Counted; not locked out. */
    COUNTED
  }

  /** Counts a failed login of {@code account} from {@code address}. */
  Future<Failed> fail(String account, String address);

  /**
   * A login with the right password: true, and the pair's failures forgotten, unless the pair is
   * locked out (false).
   */
  Future<Boolean> admit(String account, String address);

  /** Whether logins to {@code account} from {@code address} are locked out now. */
  Future<Boolean> isLockedOut(String account, String address);

  /** The accounts some address is locked out of now (for the accounts' status). */
  Future<Set<String>> lockedOutAccounts();

  /** Forgets the account's failures and lockouts from every address: an unlock, a delete. */
  Future<Void> clear(String account);
}
