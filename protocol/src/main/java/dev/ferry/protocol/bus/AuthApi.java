package dev.ferry.protocol.bus;

/**
 * Requests to auth-service at {@link Addresses#AUTH}. Bodies are JSON objects with the fields
 * named here; every action but {@link #LOGIN} needs a valid session token.
 *
 * <ul>
 *   <li>{@link #LOGIN} {account, password, role, clientAddress} -> {code: "0"|"1"|"2"|"9", account,
 *       role, token} (a public action: the code is an outcome, not a failure). {@link #CLIENT_ADDRESS}
 *       is the IP address the client connected from, as text; every front door passes it, since
 *       failed logins are counted per address (without it, that login is not counted). Fails
 *       RATE_LIMITED, without checking the password, while the address has had too many failed
 *       logins in the last minute, and BUSY when the password hashing queue is full.</li>
 *   <li>{@link #TICKET} {} -> {ticket}: a session ticket for the caller's account and role, valid
 *       for {@code sessionTicketSeconds}, if the account still exists, is not locked and still has
 *       that role; fails NO_SUCH_ACCOUNT, LOCKED or NO_PERMISSION (the role changed)</li>
 *   <li>{@link #TICKET_LOGIN} {account, ticket, clientAddress} -> {code, account, role, token}, as
 *       {@link #LOGIN} answers (a public action): {@code 1} for a ticket auth-service minted for
 *       that account, not expired, whose account is unchanged since (same role and password) and
 *       not locked; {@code 9} for such a ticket of a locked account; {@code 2} for any other.
 *       No password hash runs. A refusal counts as a failure of the client's address, not
 *       toward the account's lockout; fails RATE_LIMITED like {@link #LOGIN}.</li>
 *   <li>{@link #RENEW} {} -> {token}: a fresh token if the caller's account still exists and is
 *       not locked; fails NO_SUCH_ACCOUNT or LOCKED</li>
 *   <li>{@link #GET} {account} -> {account, role, locked} (admin or self); fails NO_SUCH_ACCOUNT</li>
 *   <li>{@link #LIST} {} -> {accounts: [{account, role, locked}]} (admin)</li>
 *   <li>{@link #ADD} {account, password, role} -> {} (admin); fails BAD_NAME, ALREADY_EXISTS,
 *       WEAK_PASSWORD, BUSY (hashing queue full)</li>
 *   <li>{@link #DELETE} {account} -> {} (admin, not oneself); fails NO_SUCH_ACCOUNT</li>
 *   <li>{@link #PASSWD} {account, password, oldPassword?} -> {token?}: the admin sets anyone's, a
 *       user their own with the old one; a caller who changed their own password gets a fresh
 *       {@link #TOKEN}; fails WEAK_PASSWORD, BAD_CREDENTIALS, NO_SUCH_ACCOUNT, BUSY (hashing queue
 *       full)</li>
 *   <li>{@link #LOCK}, {@link #UNLOCK} {account} -> {} (admin); fails NO_SUCH_ACCOUNT</li>
 *   <li>{@link #SET_KEYS} {account, keys} -> {} (admin, or self): the SSH public keys the account
 *       logs in with at the SFTP door, {@code authorized_keys} lines ("type base64 [comment]"),
 *       replacing the ones it had (none: removes them); fails NO_SUCH_ACCOUNT, BAD_REQUEST (a
 *       line that is no key, more than 16 keys)</li>
 *   <li>{@link #KEY_LOGIN} {account, publicKey, clientAddress} -> {code, account, role, token}, as
 *       {@link #LOGIN} answers (a public action): {@code 1} when publicKey ("type base64") is one of
 *       the account's, {@code 9} for a locked account or address, {@code 2} otherwise. The caller
 *       must have checked the client's signature with that key before it uses the token; a
 *       refused key is not counted as a failed login.</li>
 * </ul>
 *
 * <p>DELETE, PASSWD and LOCK revoke every token of the account issued before them
 * ({@link TokenRevocations}): each service refuses those tokens from then on, RENEW included.
 */
public final class AuthApi {
  public static final String LOGIN = "login";
  public static final String RENEW = "renew";
  public static final String TICKET = "ticket";
  public static final String TICKET_LOGIN = "ticketLogin";
  public static final String GET = "get";
  public static final String LIST = "list";
  public static final String ADD = "add";
  public static final String DELETE = "delete";
  public static final String PASSWD = "passwd";
  public static final String LOCK = "lock";
  public static final String UNLOCK = "unlock";
  public static final String KEY_LOGIN = "keyLogin";
  public static final String SET_KEYS = "setKeys";

  public static final String ACCOUNT = "account";
  public static final String ACCOUNTS = "accounts";
  public static final String PASSWORD = "password";
  public static final String OLD_PASSWORD = "oldPassword";
  public static final String ROLE = "role";
  public static final String LOCKED = "locked";
  public static final String CODE = "code";
  public static final String TOKEN = "token";
  public static final String TICKET_FIELD = "ticket";
  public static final String CLIENT_ADDRESS = "clientAddress";
  public static final String PUBLIC_KEY = "publicKey";
  public static final String KEYS = "keys";

  private AuthApi() {
  }
}
