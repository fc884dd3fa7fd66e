package dev.ferry.protocol;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * One frame of the wire protocol (PROTOCOL.md section 1):
 *
 * <pre>
 * offset 0    u32  H  header length, big-endian, 1 .. 65536
 * offset 4    u32  P  payload length, big-endian, 0 .. max payload
 * offset 8    H bytes header: one UTF-8 JSON object
 * offset 8+H  P bytes payload: raw file bytes
 * </pre>
 */
public record Frame(Header header, Buffer payload) {

  /** Bytes of the two length fields. */
  public static final int PREFIX_LENGTH = 8;
  /** Largest header the protocol allows. */
  public static final int MAX_HEADER_LENGTH = 65536;
  /** Default largest payload a server accepts: 1 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD = 1 << 20;
  /** The protocol's ceiling on the max payload setting: 16 MiB. */
  public static final int MAX_PAYLOAD_CEILING = 16 << 20;

  private static final Buffer EMPTY = Buffer.buffer(0);

  public Frame {
    payload = payload == null ? EMPTY : payload;
  }

  public Frame(Header header) {
    this(header, EMPTY);
  }

  public Buffer encode() {
    return encode(header, payload);
  }

  public static Buffer encode(Header header, Buffer payload) {
    byte[] json = header.toJson().encode().getBytes(StandardCharsets.UTF_8);
    int payloadLength = payload == null ? 0 : payload.length();
    Buffer out = Buffer.buffer(PREFIX_LENGTH + json.length + payloadLength)
      .appendInt(json.length)
      .appendInt(payloadLength)
      .appendBytes(json);
    return payloadLength == 0 ? out : out.appendBuffer(payload);
  }

  /**
   * The length prefix and header of a frame whose {@code payloadLength} bytes the caller writes
   * right after, so a large payload is sent as it is rather than copied into one buffer.
   */
  public static Buffer encodeHead(Header header, int payloadLength) {
    byte[] json = header.toJson().encode().getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(PREFIX_LENGTH + json.length).appendInt(json.length).appendInt(payloadLength).appendBytes(json);
  }

  /**
   * Checks the length prefix before anything is allocated for the frame.
   *
   * @throws BadFrameException if either length is out of range
   */
  public static void checkLengths(long headerLength, long payloadLength, int maxPayload) {
    if (headerLength < 1 || headerLength > MAX_HEADER_LENGTH) {
      throw new BadFrameException(BadFrameException.HEADER_LENGTH);
    }
    if (payloadLength < 0 || payloadLength > maxPayload) {
      throw new BadFrameException(BadFrameException.PAYLOAD_TOO_LARGE);
    }
  }
}
