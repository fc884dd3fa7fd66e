package dev.ferry.sftp;

/**
 * The session token of one SSH session: the auth service's, renewed by {@link ServiceCalls}
 * once half of its lifetime is gone (a transfer may outlive the token it began with).
 */
public final class SessionToken {

  private String token;
  private long issuedNanos;

  public SessionToken(String token) {
    this.token = token;
    this.issuedNanos = System.nanoTime();
  }

  synchronized String value() {
    return token;
  }

  synchronized long ageNanos() {
    return System.nanoTime() - issuedNanos;
  }

  synchronized void renewed(String fresh) {
    token = fresh;
    issuedNanos = System.nanoTime();
  }
}
