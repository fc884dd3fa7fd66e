package dev.ferry.protocol.bus;

/**
 * Requests to quota-service at {@link Addresses#QUOTA}; every action needs a token: a session
 * token, except for ADJUST, which takes storage-service's own token only ({@link StorageTokens}).
 * quota-service is the single authority on usage (PROTOCOL.md s6).
 *
 * <p>Usage and reservations live in Vert.x shared data ({@code vertx.sharedData()}), which is
 * cluster-wide once Vert.x is clustered, so every quota-service instance and every gateway see
 * the same numbers. Per account: a usage entry in the async map {@code ferry.quota.used}
 * (absent until the account is first counted: then it is recounted by storage-service's
 * {@link StorageApi#USAGE}), reservations in the async map
 * {@code ferry.quota.reservations.<account>} (id -> bytes, each with a time to live), and the
 * lock {@code ferry.quota.<account>} that every reserve, adjust and recount of the account holds.
 *
 * <ul>
 *   <li>{@link #GET} {account} -> {account, used, limit} (admin or self; limit 0 = unlimited, as
 *       for every admin account); fails NO_SUCH_ACCOUNT, NO_PERMISSION</li>
 *   <li>{@link #SET} {account, limit} -> {} (admin); fails NO_SUCH_ACCOUNT, BAD_REQUEST</li>
 *   <li>{@link #FORGET} {account} -> {} (admin): drops the account's limit and usage (on userdel)</li>
 *   <li>{@link #RESERVE} {account, bytes, reservation?} -> {granted, reservation, seconds, used, limit}
 *       (admin or self): when usage plus every live reservation of the account plus {@code bytes}
 *       stays within the limit (or the limit is 0), records a reservation of {@code bytes} and
 *       answers granted true with its id; else granted false, no reservation, and the used and
 *       limit to report. With {@code reservation} (a live one of the account) it grows that one
 *       by {@code bytes} instead, on the same terms, and answers its id; NOT_FOUND when it is
 *       gone. {@code used} counts live reservations too. A reservation lives for {@code seconds}
 *       (the service's {@code reservationSeconds}) unless renewed: the holder renews it well
 *       within that time (every third of it) while the upload lives, so a reservation whose
 *       holder died expires on its own. The holder is storage-service, which reserves for every
 *       upload into a home with the token of whoever opened it (TransferApi, "Quota").</li>
 *   <li>{@link #RENEW} {account, reservation} -> {} (admin or self, or storage-service's own token):
 *       restarts its time to live; fails NOT_FOUND when it is gone (expired or released).</li>
 *   <li>{@link #RELEASE} {account, reservation} -> {} (admin or self, or storage-service's own
 *       token): drops it; releasing an unknown reservation succeeds.</li>
 *   <li>{@link #ADJUST} {account, delta} -> {} (storage-service only: its token is one
 *       {@link StorageTokens} signs with storage's own key, subject {@link StorageTokens#SUBJECT};
 *       any other token, a session token of any role included, or none fails NO_PERMISSION):
 *       usage changes by {@code delta} bytes (negative frees). storage-service sends it after every change on disk, before it
 *       answers the request that made the change, so usage grows before the reservation that
 *       covered the bytes is released. For an account not yet counted it does nothing (its first
 *       count will see the disk).</li>
 *   <li>{@link #RECOUNT} {account} -> {account, used, limit} (admin): usage set from a fresh
 *       recount of the disk; fails NO_SUCH_ACCOUNT.</li>
 * </ul>
 */
public final class QuotaApi {
  public static final String GET = "get";
  public static final String SET = "set";
  public static final String FORGET = "forget";
  public static final String RESERVE = "reserve";
  public static final String RENEW = "renew";
  public static final String RELEASE = "release";
  public static final String ADJUST = "adjust";
  public static final String RECOUNT = "recount";

  public static final String ACCOUNT = "account";
  public static final String USED = "used";
  public static final String LIMIT = "limit";
  public static final String BYTES = "bytes";
  public static final String GRANTED = "granted";
  public static final String RESERVATION = "reservation";
  public static final String DELTA = "delta";
  public static final String SECONDS = "seconds";

  private QuotaApi() {
  }
}
