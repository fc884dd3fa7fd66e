package dev.ferry.protocol.bus;

/** Event-bus addresses of the services: declared here once, never repeated as literals. */
public final class Addresses {
  public static final String AUTH = "ferry.auth";
  public static final String STORAGE = "ferry.storage";
  public static final String QUOTA = "ferry.quota";
  /** Prefix of each storage node's own address, where the handles it holds are served. */
  public static final String STORAGE_NODE_PREFIX = "ferry.storage.node.";
  /** Published by auth-service when an account's tokens are revoked: {@link TokenRevocations}. */
  public static final String TOKEN_REVOCATIONS = "ferry.auth.revocations";
  /**
   * Published by each auth-service replica after it changed an account, so the other replicas
   * drop what they hold of it in memory: {@code {account, change, replica}}.
   */
  public static final String ACCOUNT_CHANGES = "ferry.auth.account-changes";

  private Addresses() {
  }
}
