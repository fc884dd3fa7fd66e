package dev.ferry.gateway;

import dev.ferry.protocol.Replies;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection counts of one gateway process, shared by its instances on every event loop:
 * connections in all, not logged in, per client address, and logged-in sessions per account.
 * A new connection over a limit is refused with the limit's {@code BUSY} reason; those already
 * in keep working.
 */
public final class ConnectionLimits implements SessionLimits {

  private final int maxConnections;
  private final int maxUnauthenticated;
  private final int maxPerAddress;
  private final int maxSessionsPerAccount;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger unauthenticated = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> perAccount = new ConcurrentHashMap<>();

  public ConnectionLimits(GatewayOptions options) {
    this.maxConnections = options.maxConnections();
    this.maxUnauthenticated = options.maxUnauthenticatedConnections();
    this.maxPerAddress = options.maxConnectionsPerAddress();
    this.maxSessionsPerAccount = options.maxSessionsPerAccount();
  }

  /**
   * Counts a new connection from {@code address} as not logged in, if every limit allows it.
   *
   * @return null when admitted (then {@link #release} must follow once it closes), else the
   *         {@code BUSY} reason of the limit it is over
   */
  public String admit(String address) {
    if (connections.incrementAndGet() > maxConnections) {
      connections.decrementAndGet();
      return Replies.BUSY_CONNECTIONS;
    }
    if (unauthenticated.incrementAndGet() > maxUnauthenticated) {
      unauthenticated.decrementAndGet();
      connections.decrementAndGet();
      return Replies.BUSY_UNAUTHENTICATED;
    }
    boolean[] over = {false};
    perAddress.compute(address, (a, n) -> {
      int count = n == null ? 0 : n;
      over[0] = count >= maxPerAddress;
      return over[0] ? n : count + 1;
    });
    if (over[0]) {
      unauthenticated.decrementAndGet();
      connections.decrementAndGet();
      return Replies.BUSY_ADDRESS;
    }
    return null;
  }

  /** An admitted connection closed; its session, if it had one, was closed before. */
  public void release(String address) {
    perAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
    unauthenticated.decrementAndGet();
    connections.decrementAndGet();
  }

  @Override
  public boolean openSession(String account) {
    boolean[] over = {false};
    perAccount.compute(account, (a, n) -> {
      int count = n == null ? 0 : n;
      over[0] = count >= maxSessionsPerAccount;
      return over[0] ? n : count + 1;
    });
    if (!over[0]) {
      unauthenticated.decrementAndGet();
    }
    return !over[0];
  }

  @Override
  public void closeSession(String account) {
    perAccount.computeIfPresent(account, (a, n) -> n > 1 ? n - 1 : null);
    unauthenticated.incrementAndGet();
  }

  /**
   * Whether the gateway holds all the connections it may: a load balancer should send new ones
   * elsewhere. Strangers at the unauthenticated limit do not count: were they to withdraw its
   * readiness, a flood could take every gateway out of the service, logged-in users' included.
   */
  public boolean saturated() {
    return connections.get() >= maxConnections;
  }

  public int connections() {
    return connections.get();
  }

  public int unauthenticated() {
    return unauthenticated.get();
  }
}
