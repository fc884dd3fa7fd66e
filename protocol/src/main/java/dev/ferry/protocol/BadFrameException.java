package dev.ferry.protocol;

/**
 * A frame that breaks PROTOCOL.md section 1. The gateway answers
 * {@code {"cmd":"error","data":"BAD_FRAME*<reason>"}} and closes the connection.
 * Carries no stack trace: it is an expected outcome of hostile input, not a bug.
 */
public final class BadFrameException extends RuntimeException {

  public static final String HEADER_LENGTH = "HEADER_LENGTH";
  public static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
  public static final String NOT_UTF8 = "NOT_UTF8";
  public static final String NOT_JSON_OBJECT = "NOT_JSON_OBJECT";
  public static final String FIELD_NOT_STRING = "FIELD_NOT_STRING";
  public static final String NO_CMD = "NO_CMD";
  public static final String UNEXPECTED_PAYLOAD = "UNEXPECTED_PAYLOAD";

  private final String reason;

  public BadFrameException(String reason) {
    super(reason, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }

  /** The reply frame's {@code data}. */
  public String replyData() {
    return Replies.BAD_FRAME + "*" + reason;
  }
}
