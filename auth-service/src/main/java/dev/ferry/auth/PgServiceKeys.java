package dev.ferry.auth;

import dev.ferry.auth.db.AccountDatabase;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import javax.crypto.Mac;

/**
 * Secret keys every auth replica must share, in the {@code service_keys} table: the first replica
 * that needs one stores a random key, every later one (and every restart) reads that one.
 */
final class PgServiceKeys {

  static final String SESSION_TICKETS = "session-tickets";

  private PgServiceKeys() {
  }

  /** The HMAC-SHA256 of the key named {@code name}, made now if there is none yet. */
  static Future<Mac> hmacSha256(Pool pool, String name) {
    Buffer candidate = Buffer.buffer(ProcessKeys.randomKey());
    return pool.preparedQuery("INSERT INTO service_keys (name, key) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
      .execute(Tuple.of(name, candidate))
      .compose(inserted -> pool.preparedQuery("SELECT key FROM service_keys WHERE name = $1").execute(Tuple.of(name)))
      .map(rows -> ProcessKeys.hmacSha256(rows.iterator().next().getBuffer(0).getBytes()))
      .recover(AccountDatabase::unavailable);
  }
}
