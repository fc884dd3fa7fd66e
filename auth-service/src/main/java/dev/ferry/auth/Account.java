package dev.ferry.auth;

import dev.ferry.protocol.Role;

/**
 * One stored account. {@code hash} is the self-describing string of Vert.x Auth's hashing
 * strategy ({@code $pbkdf2$it=<iterations>$<salt>$<hash>}); the clear password is never kept.
 * {@code locked} is the admin's lock, which only an admin lifts; the time-limited lockout after
 * failed logins lives in {@link FailureLedger}, in memory.
 */
public record Account(String name, Role role, String hash, boolean locked) {

  public Account withHash(String newHash) {
    return new Account(name, role, newHash, locked);
  }

  public Account withLocked(boolean newLocked) {
    return new Account(name, role, hash, newLocked);
  }

  /** Leaves the hash out, so that logging an account never leaks it. */
  @Override
  public String toString() {
    return "Account[" + name + ", " + role.wire() + (locked ? ", locked]" : "]");
  }
}
