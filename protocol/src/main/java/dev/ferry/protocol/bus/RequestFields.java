package dev.ferry.protocol.bus;

import io.vertx.core.json.JsonObject;

/** Reads the fields of a request body; a field of the wrong shape fails {@link Failure#BAD_REQUEST}. */
public final class RequestFields {

  private RequestFields() {
  }

  /** The string field, or null when it is absent. */
  public static String optional(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw Failure.BAD_REQUEST.exception(field + " must be a string");
  }

  public static String orEmpty(JsonObject body, String field) {
    String value = optional(body, field);
    return value == null ? "" : value;
  }

  public static String required(JsonObject body, String field) {
    String value = optional(body, field);
    if (value == null) {
      throw Failure.BAD_REQUEST.exception(field + " is missing");
    }
    return value;
  }

  /** A whole number of bytes, 0 or more (a fraction, a string or a negative number is refused). */
  public static long bytes(JsonObject body, String field) {
    Object value = body.getValue(field);
    if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0) {
      return ((Number) value).longValue();
    }
    throw Failure.BAD_REQUEST.exception(field + " must be a whole number of bytes, 0 or more");
  }
}
