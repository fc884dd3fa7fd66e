package dev.ferry.quota;

import dev.ferry.protocol.bus.Failure;
import io.vertx.core.json.JsonObject;

/** Reads the fields of a request body; a field of the wrong shape fails {@link Failure#BAD_REQUEST}. */
final class RequestFields {

  private RequestFields() {
  }

  static String string(JsonObject body, String field) {
    if (body.getValue(field) instanceof String value) {
      return value;
    }
    throw Failure.BAD_REQUEST.exception(field + " must be a string");
  }

  /** A whole number of bytes, 0 or more (a fraction, a string or a negative number is refused). */
  static long bytes(JsonObject body, String field) {
    Object value = body.getValue(field);
    if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0) {
      return ((Number) value).longValue();
    }
    throw Failure.BAD_REQUEST.exception(field + " must be a whole number of bytes, 0 or more");
  }
}
