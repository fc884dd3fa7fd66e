package dev.ferry.protocol;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/** Hand-made frame bytes, including ones no well-behaved encoder would produce. */
final class Frames {

  private Frames() {
  }

  /** A frame whose length fields match its contents. */
  static Buffer frame(String headerJson, byte[] payload) {
    return frame(headerJson.getBytes(StandardCharsets.UTF_8), payload);
  }

  static Buffer frame(byte[] header, byte[] payload) {
    return prefix(header.length, payload.length).appendBytes(header).appendBytes(payload);
  }

  static Buffer frame(String headerJson) {
    return frame(headerJson, new byte[0]);
  }

  /** Just the two length fields, as unsigned 32-bit big-endian values. */
  static Buffer prefix(long headerLength, long payloadLength) {
    return Buffer.buffer().appendUnsignedInt(headerLength).appendUnsignedInt(payloadLength);
  }

  static byte[] bytes(int n, byte value) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, value);
    return b;
  }
}
