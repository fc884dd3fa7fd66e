package dev.ferry.auth;

import dev.ferry.protocol.bus.Failure;
import io.vertx.core.json.JsonObject;

/** Reads string fields of a request body; a field of the wrong type fails BAD_REQUEST. */
final class RequestFields {

  private RequestFields() {
  }

  /** The field, or null when it is absent. */
  static String optional(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw Failure.BAD_REQUEST.exception(key + " must be a string");
  }

  static String orEmpty(JsonObject body, String key) {
    String value = optional(body, key);
    return value == null ? "" : value;
  }

  static String required(JsonObject body, String key) {
    String value = optional(body, key);
    if (value == null) {
      throw Failure.BAD_REQUEST.exception(key + " is missing");
    }
    return value;
  }
}
