package dev.ferry.protocol.bus;

/**
 * Requests to quota-service at {@link Addresses#QUOTA}; every action needs a token.
 *
 * <ul>
 *   <li>{@link #GET} {account} -> {account, used, limit} (admin or self; limit 0 = unlimited, as
 *       for every admin account); fails NO_SUCH_ACCOUNT, NO_PERMISSION</li>
 *   <li>{@link #SET} {account, limit} -> {} (admin); fails NO_SUCH_ACCOUNT, BAD_REQUEST</li>
 *   <li>{@link #FORGET} {account} -> {} (admin): drops the account's limit (on userdel)</li>
 * </ul>
 */
public final class QuotaApi {
  public static final String GET = "get";
  public static final String SET = "set";
  public static final String FORGET = "forget";

  public static final String ACCOUNT = "account";
  public static final String USED = "used";
  public static final String LIMIT = "limit";

  private QuotaApi() {
  }
}
