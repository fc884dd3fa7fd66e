package dev.ferry.gateway;

import dev.ferry.protocol.Command;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.TokenRevocations;

import java.util.function.Supplier;

/**
 * The state of one client connection: AWAITING_LOGIN -> LOGGED_IN -> CLOSED, with a way back
 * from LOGGED_IN to AWAITING_LOGIN (a new login, a rejected token). A logged-in session may have
 * one {@link Transfer} running.
 *
 * <p>Only ever touched from the connection's event loop, so it needs no locking. It holds no
 * password, ever: only the session token auth-service issued.
 */
public final class Session {

  public enum State { AWAITING_LOGIN, LOGGED_IN, CLOSED }

  private final String clientAddress;
  private final SessionLimits limits;
  private State state = State.AWAITING_LOGIN;
  private String account = "";
  private Role role;
  private String token;
  private long tokenIssuedNanos;
  /** The token's own issue time (ms), which revocations compare against; -1 when it has none. */
  private long tokenIssuedMillis = -1;
  private boolean awaitingFreshToken;
  private String cwd = VirtualPath.ROOT;
  private int loginFailures;
  private Transfer transfer;
  /** The frames of the last transfer this login opened: only those may carry a payload. */
  private Command transferFrames;

  /** A session of a client at no known address: for tests. */
  public Session() {
    this("", SessionLimits.NONE);
  }

  /**
   * @param clientAddress the client's IP address as text, for per-address limits
   * @param limits        told of each login and logout
   */
  public Session(String clientAddress, SessionLimits limits) {
    this.clientAddress = clientAddress;
    this.limits = limits;
  }

  /** The client's IP address as text ({@code ""} when unknown). */
  public String clientAddress() {
    return clientAddress;
  }

  public State state() {
    return state;
  }

  public boolean isLoggedIn() {
    return state == State.LOGGED_IN;
  }

  public boolean isClosed() {
    return state == State.CLOSED;
  }

  public boolean isAdmin() {
    return isLoggedIn() && role == Role.ADMIN;
  }

  /** The logged-in account; {@code ""} before login. */
  public String account() {
    return account;
  }

  public Role role() {
    return role;
  }

  public String token() {
    return token;
  }

  /**
   * The token for work that outlives a command (a transfer, its quota reservation): the
   * session's current one while it is still logged in as the same account, so a renewal reaches
   * work already under way; after a logout or a dropped connection, the last one it had, so
   * closing a storage handle or releasing a reservation still works.
   */
  public Supplier<String> tokenSource() {
    String owner = account;
    String[] last = {token};
    return () -> {
      if (token != null && owner.equals(account)) {
        last[0] = token;
      }
      return last[0];
    };
  }

  /** The directory this session may not leave (PROTOCOL.md s2). */
  public String home() {
    return VirtualPath.homeOf(account, role);
  }

  /** The working directory: starts at the home (PROTOCOL.md s3). */
  public String cwd() {
    return cwd;
  }

  public void cd(String path) {
    cwd = path;
  }

  /**
   * The client's path text as a normalised absolute path, relative paths taken from the
   * working directory.
   *
   * @throws VirtualPath.BadNameException if a component is a forbidden name
   */
  public String resolve(String input) {
    return VirtualPath.resolve(cwd, input);
  }

  /**
   * A successful login: the token was issued {@code nowNanos} (a {@link System#nanoTime()} value).
   * Answers false, and stays logged out, when the account already has its most sessions.
   */
  public boolean login(String account, Role role, String token, long nowNanos) {
    if (state == State.CLOSED) {
      return false;
    }
    logout();
    if (!limits.openSession(account)) {
      return false;
    }
    GatewayMetrics.sessionOpened();
    this.state = State.LOGGED_IN;
    this.account = account;
    this.role = role;
    this.token = token;
    this.tokenIssuedNanos = nowNanos;
    this.tokenIssuedMillis = SessionTokens.issuedMillis(token).orElse(-1);
    this.cwd = home();
    return true;
  }

  /** Forgets the login; the connection stays and may log in again. */
  public void logout() {
    if (state == State.LOGGED_IN) {
      state = State.AWAITING_LOGIN;
      GatewayMetrics.sessionClosed();
      limits.closeSession(account);
    }
    transferFrames = null;
    account = "";
    role = null;
    token = null;
    cwd = VirtualPath.ROOT;
  }

  public void renewed(String token, long nowNanos) {
    this.token = token;
    this.tokenIssuedNanos = nowNanos;
    this.tokenIssuedMillis = SessionTokens.issuedMillis(token).orElse(-1);
  }

  /**
   * While true, a revocation of this session's account does not end it: the session is changing
   * its own password, and auth-service answers that with a fresh token.
   */
  public void awaitFreshToken(boolean awaiting) {
    awaitingFreshToken = awaiting;
  }

  /** Whether this session is logged in with a token auth-service has revoked since it was issued. */
  public boolean holdsRevokedToken(TokenRevocations revocations) {
    return isLoggedIn() && !awaitingFreshToken && tokenIssuedMillis >= 0 && revocations.voids(account, tokenIssuedMillis);
  }

  public long tokenAgeNanos(long nowNanos) {
    return nowNanos - tokenIssuedNanos;
  }

  /** The transfer running on this session, or null. */
  public Transfer transfer() {
    if (transfer != null && transfer.isOver()) {
      transfer = null;
    }
    return transfer;
  }

  public void startTransfer(Transfer transfer) {
    this.transfer = transfer;
    this.transferFrames = transfer.frames();
  }

  /**
   * Whether a frame of {@code cmd} may carry a payload: only when logged in, and only the frames
   * of the transfer opened last (its chunks may still be in flight after it ended).
   */
  public boolean takesPayload(String cmd) {
    return isLoggedIn() && transferFrames != null && transferFrames.wire().equals(cmd) && Command.clientPayloadAllowed(cmd);
  }

  /** Counts a failed login on this connection and answers how many there were. */
  public int loginFailed() {
    return ++loginFailures;
  }

  public void close() {
    logout();
    state = State.CLOSED;
  }
}
