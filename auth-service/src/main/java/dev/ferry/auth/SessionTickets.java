package dev.ferry.auth;

import dev.ferry.protocol.Role;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import javax.crypto.Mac;

/**
 * Session tickets (PROTOCOL.md, {@code ticket} and {@code ticket_login}): a short-lived proof
 * that a connection logged in as an account with a role, so that more connections of the same
 * client log in without another password hash.
 *
 * <p>A ticket is {@code base64url(account*role*expiresMillis) "." base64url(mac)}, where the
 * MAC is HMAC-SHA256 over those fields and the account's stored password hash, under a key made
 * at random for this process. The key never leaves auth-service, so neither a client nor a
 * gateway (which holds the token secret) can make one; binding the stored hash means a
 * {@code passwd}, or the account deleted and made again, ends every ticket of the account.
 * With the file store, tickets do not survive a restart of auth-service (a client then logs in
 * with its password); with PostgreSQL the key is shared by every replica and kept in the database.
 * Not thread-safe: used from the auth verticle's event loop.
 */
final class SessionTickets {

  /** Longest ticket read at all: a real one is about 120 characters. */
  static final int MAX_LENGTH = 512;
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,300}\\.[A-Za-z0-9_-]{43}");
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** What a well-formed ticket says; whether it is authentic is {@link #authentic}'s question. */
  record Claims(String account, Role role, long expiresMillis, String signedPart, byte[] mac) {
  }

  private final long ttlMillis;
  private final LongSupplier clockMillis;
  private final Mac mac;

  SessionTickets(int ttlSeconds, LongSupplier clockMillis) {
    this(ttlSeconds, clockMillis, ProcessKeys.randomHmacSha256());
  }

  /** With a MAC key shared by every auth replica ({@link PgServiceKeys}), so any of them honours a ticket. */
  SessionTickets(int ttlSeconds, LongSupplier clockMillis, Mac mac) {
    this.ttlMillis = ttlSeconds * 1000L;
    this.clockMillis = clockMillis;
    this.mac = mac;
  }

  /** A ticket for {@code account} with {@code role}, whose password hash is {@code storedHash} now. */
  String mint(String account, Role role, String storedHash) {
    String fields = account + '*' + role.wire() + '*' + (clockMillis.getAsLong() + ttlMillis);
    String signedPart = ENCODER.encodeToString(fields.getBytes(StandardCharsets.UTF_8));
    return signedPart + '.' + ENCODER.encodeToString(sign(signedPart, storedHash));
  }

  /** The claims of a ticket of the right shape; empty for anything else. Checks no signature. */
  static Optional<Claims> read(String ticket) {
    if (ticket == null || ticket.length() > MAX_LENGTH || !SHAPE.matcher(ticket).matches()) {
      return Optional.empty();
    }
    int dot = ticket.indexOf('.');
    String signedPart = ticket.substring(0, dot);
    String[] fields;
    byte[] mac;
    try {
      fields = new String(DECODER.decode(signedPart), StandardCharsets.UTF_8).split("\\*", -1);
      mac = DECODER.decode(ticket.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (fields.length != 3 || !fields[2].matches("\\d{1,18}")) {
      return Optional.empty();
    }
    Optional<Role> role = Role.parse(fields[1]);
    return role.map(r -> new Claims(fields[0], r, Long.parseLong(fields[2]), signedPart, mac));
  }

  /**
   * Whether this process minted {@code claims} against {@code storedHash}, and they have not
   * expired. The MAC is compared in constant time.
   */
  boolean authentic(Claims claims, String storedHash) {
    boolean signed = MessageDigest.isEqual(claims.mac(), sign(claims.signedPart(), storedHash));
    return signed && clockMillis.getAsLong() < claims.expiresMillis();
  }

  private byte[] sign(String signedPart, String storedHash) {
    // NUL occurs in neither the base64url text nor a stored hash, so the two cannot run together.
    return mac.doFinal((signedPart + '\0' + storedHash).getBytes(StandardCharsets.UTF_8));
  }
}
