package dev.ferry.storage;

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
}
