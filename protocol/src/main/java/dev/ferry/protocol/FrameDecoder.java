package dev.ferry.protocol;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.core.streams.ReadStream;

import java.util.function.Predicate;

/**
 * Turns a byte stream into {@link Frame}s: a three-state machine (prefix, header, payload)
 * over a fixed-size {@link RecordParser}. Lengths are validated before the parser is asked
 * for that many bytes, so an oversized frame is an error, never an allocation.
 *
 * <p>After the first error the decoder reports it once to the error handler and ignores all
 * further input: the connection is going to be closed.
 */
public final class FrameDecoder {

  private enum State { PREFIX, HEADER, PAYLOAD, FAILED }

  private final RecordParser parser;
  private final int maxPayload;
  private final Predicate<String> payloadAllowed;
  private Handler<Frame> frameHandler = frame -> { };
  private Handler<BadFrameException> errorHandler = error -> { };
  private State state = State.PREFIX;
  private int headerLength;
  private int payloadLength;
  private Header header;

  private FrameDecoder(RecordParser parser, int maxPayload, Predicate<String> payloadAllowed) {
    if (maxPayload < 0 || maxPayload > Frame.MAX_PAYLOAD_CEILING) {
      throw new IllegalArgumentException("max payload must be 0.." + Frame.MAX_PAYLOAD_CEILING + ": " + maxPayload);
    }
    this.parser = parser;
    this.maxPayload = maxPayload;
    this.payloadAllowed = payloadAllowed;
    parser.handler(this::record);
  }

  /** A decoder fed by hand through {@link #handle(Buffer)}. */
  public static FrameDecoder create(int maxPayload, Predicate<String> payloadAllowed) {
    return new FrameDecoder(RecordParser.newFixed(Frame.PREFIX_LENGTH), maxPayload, payloadAllowed);
  }

  /** A decoder reading {@code stream}; {@link #pause()} and {@link #resume()} apply back-pressure to it. */
  public static FrameDecoder over(ReadStream<Buffer> stream, int maxPayload, Predicate<String> payloadAllowed) {
    return new FrameDecoder(RecordParser.newFixed(Frame.PREFIX_LENGTH, stream), maxPayload, payloadAllowed);
  }

  public FrameDecoder frameHandler(Handler<Frame> handler) {
    this.frameHandler = handler;
    return this;
  }

  public FrameDecoder errorHandler(Handler<BadFrameException> handler) {
    this.errorHandler = handler;
    return this;
  }

  public void handle(Buffer bytes) {
    if (state != State.FAILED) {
      parser.handle(bytes);
    }
  }

  public void pause() {
    parser.pause();
  }

  public void resume() {
    parser.resume();
  }

  private void record(Buffer record) {
    if (state != State.FAILED && record.length() != expectedLength()) {
      // RecordParser hands over what is left when its stream ends: the peer left mid-frame.
      // A cut frame is dropped whole; it is never delivered short.
      state = State.FAILED;
      parser.pause();
      return;
    }
    try {
      switch (state) {
        case PREFIX -> prefix(record);
        case HEADER -> header(record);
        case PAYLOAD -> emit(record);
        case FAILED -> { }
      }
    } catch (BadFrameException e) {
      state = State.FAILED;
      parser.pause();
      errorHandler.handle(e);
    }
  }

  private int expectedLength() {
    return switch (state) {
      case PREFIX -> Frame.PREFIX_LENGTH;
      case HEADER -> headerLength;
      case PAYLOAD -> payloadLength;
      case FAILED -> 0;
    };
  }

  private void prefix(Buffer record) {
    long h = record.getUnsignedInt(0);
    long p = record.getUnsignedInt(4);
    Frame.checkLengths(h, p, maxPayload);
    headerLength = (int) h;
    payloadLength = (int) p;
    state = State.HEADER;
    parser.fixedSizeMode(headerLength);
  }

  private void header(Buffer record) {
    header = Header.parse(record.getBytes());
    if (payloadLength > 0 && !payloadAllowed.test(header.cmd())) {
      throw new BadFrameException(BadFrameException.UNEXPECTED_PAYLOAD);
    }
    if (payloadLength == 0) {
      emit(null);
    } else {
      state = State.PAYLOAD;
      parser.fixedSizeMode(payloadLength);
    }
  }

  private void emit(Buffer payload) {
    Frame frame = new Frame(header, payload);
    header = null;
    state = State.PREFIX;
    parser.fixedSizeMode(Frame.PREFIX_LENGTH);
    frameHandler.handle(frame);
  }
}
