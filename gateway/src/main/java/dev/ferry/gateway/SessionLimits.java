package dev.ferry.gateway;

/** What a {@link Session} tells its gateway's limits as it logs in and out. */
public interface SessionLimits {

  /** No limits: for sessions made in tests. */
  SessionLimits NONE = new SessionLimits() {
    @Override
    public boolean openSession(String account) {
      return true;
    }

    @Override
    public void closeSession(String account) {
    }
  };

  /** A connection logs in as {@code account}: answers false, counting nothing, when the account has its most sessions. */
  boolean openSession(String account);

  /** A logged-in connection logs out (or closes): it counts as not logged in again. */
  void closeSession(String account);
}
