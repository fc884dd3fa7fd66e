package dev.ferry.protocol;


import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Blocking frame decoding from an {@link InputStream}, for clients (a CLI is not an event loop).
 * Same rules as {@link FrameDecoder}: lengths are checked before anything is allocated.
 */
public final class FrameReader {

  private final DataInputStream in;
  private final int maxPayload;
  private final Predicate<String> payloadAllowed;

  public FrameReader(InputStream in, int maxPayload, Predicate<String> payloadAllowed) {
    this.in = in instanceof DataInputStream d ? d : new DataInputStream(in);
    this.maxPayload = maxPayload;
    this.payloadAllowed = payloadAllowed;
  }

  /** A reader of server frames: only {@code download_ing} may carry a payload. */
  public static FrameReader ofServer(InputStream in) {
    return new FrameReader(in, Frame.MAX_PAYLOAD_CEILING, Command::serverPayloadAllowed);
  }

  /**
   * The next frame, or {@code null} when the stream ends cleanly between frames.
   *
   * @throws BadFrameException when the peer breaks PROTOCOL.md section 1
   * @throws EOFException when the stream ends inside a frame
   */
  public Frame read() throws IOException {
    return read(byte[]::new);
  }

  /**
   * As {@link #read()}, with the payload read into an array from {@code arrays} (given its
   * length, it answers an array at least that long), so that a reader can reuse them.
   */
  public Frame read(IntFunction<byte[]> arrays) throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    long headerLength = ((long) first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
    long payloadLength = Integer.toUnsignedLong(in.readInt());
    Frame.checkLengths(headerLength, payloadLength, maxPayload);
    byte[] header = new byte[(int) headerLength];
    in.readFully(header);
    Header parsed = Header.parse(header);
    if (payloadLength > 0 && !payloadAllowed.test(parsed.cmd())) {
      throw new BadFrameException(BadFrameException.UNEXPECTED_PAYLOAD);
    }
    if (payloadLength == 0) {
      return new Frame(parsed, Payloads.wrap(new byte[0]));
    }
    int length = (int) payloadLength;
    byte[] payload = arrays.apply(length);
    in.readFully(payload, 0, length);
    return new Frame(parsed, Payloads.wrap(payload, length));
  }
}
