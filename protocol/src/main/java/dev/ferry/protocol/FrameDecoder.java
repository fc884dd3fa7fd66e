package dev.ferry.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * Turns a byte stream into {@link Frame}s: a three-state machine (prefix, header, payload).
 * Lengths are validated before anything is allocated for them, so an oversized frame is an
 * error, never an allocation.
 *
 * <p>Each payload is copied once, from the buffers the stream delivers straight into a buffer of
 * its size ({@link PayloadMemory#allocate}). (A {@code RecordParser} in fixed-size mode copies a
 * payload two or three times as it accumulates and slices it: 8% of a server's CPU during a 1 GiB
 * upload.) Over a Vert.x
 * socket it reads the socket's own (pooled, off-heap) buffers, which it releases as it uses them,
 * rather than the heap copy of each that the socket's {@code handler} gets. Input that arrives
 * while the decoder is paused waits, whole, in the order it came: over a socket, what one read
 * brought, since pausing stops the reads.
 *
 * <p>Nothing is allocated from a length the sender merely announced. A header's buffer grows with
 * the bytes that really arrive, up to a limit that may change with the connection's state (small
 * before login), and its bytes are taken from a frame memory shared by every connection: when
 * that is spent the decoder either waits or fails with {@link FrameMemorySpentException}, as its
 * owner chose. A payload's bytes are taken from a {@link PayloadMemory} once its first byte has
 * arrived and given back once the frame has been handled; while it is spent the decoder waits,
 * its stream paused.
 *
 * <p>After the first error the decoder reports it once to the error handler and ignores all
 * further input: the connection is going to be closed. A stream that ends inside a frame drops
 * that frame whole: it is never delivered short. A failure of the decoder itself (no heap for a
 * payload) goes to the failure handler, and the decoder stops the same way.
 */
public final class FrameDecoder {

  private enum State { PREFIX, HEADER, PAYLOAD, FAILED }

  private final ReadStream<Buffer> stream;
  /** Over a Vert.x socket: its Netty channel, read or not as the decoder is resumed or paused. */
  private Channel channel;
  private final int maxPayload;
  private final Predicate<String> payloadAllowed;
  private final PayloadMemory memory;
  private IntSupplier headerLimit = () -> Frame.MAX_HEADER_LENGTH;
  private PayloadMemory headerMemory = PayloadMemory.UNBOUNDED;
  private BooleanSupplier waitForHeaderMemory = () -> true;
  private Handler<Frame> frameHandler = frame -> { };
  private Handler<BadFrameException> errorHandler = error -> { };
  private Handler<Throwable> failureHandler = FrameDecoder::rethrow;
  /** Input not yet decoded: only while paused, or while a frame handler runs. */
  private final ArrayDeque<Buffer> input = new ArrayDeque<>();
  /** Bytes of the head of {@link #input} already decoded. */
  private int inputPosition;
  private State state = State.PREFIX;
  private final byte[] prefix = new byte[Frame.PREFIX_LENGTH];
  private static final byte[] NO_BYTES = new byte[0];
  /** The header received so far: as long as the bytes that came, at most twice that. */
  private byte[] headerBytes = NO_BYTES;
  private int headerLength;
  private int payloadLength;
  private Header header;
  private Buffer payload;
  /** The frame just decoded, delivered as soon as the input it used is accounted for. */
  private Frame complete;
  /** Bytes of the current part (prefix, header or payload) received so far. */
  private int filled;
  private boolean paused;
  /** Waiting for frame or payload memory to have room for the bytes that came. */
  private boolean starved;
  private boolean decoding;
  /** Bytes received into frames so far, every frame together. */
  private long bytesReceived;
  /** When the first byte of the frame being received arrived ({@link System#nanoTime()}). */
  private long frameStartNanos;

  private FrameDecoder(ReadStream<Buffer> stream, int maxPayload, Predicate<String> payloadAllowed, PayloadMemory memory) {
    if (maxPayload < 0 || maxPayload > Frame.MAX_PAYLOAD_CEILING) {
      throw new IllegalArgumentException("max payload must be 0.." + Frame.MAX_PAYLOAD_CEILING + ": " + maxPayload);
    }
    this.stream = stream;
    this.maxPayload = maxPayload;
    this.payloadAllowed = payloadAllowed;
    this.memory = memory;
  }

  /** A decoder fed by hand through {@link #handle(Buffer)}. */
  public static FrameDecoder create(int maxPayload, Predicate<String> payloadAllowed) {
    return create(maxPayload, payloadAllowed, PayloadMemory.UNBOUNDED);
  }

  /** A decoder fed by hand through {@link #handle(Buffer)}, its payloads taken from {@code memory}. */
  public static FrameDecoder create(int maxPayload, Predicate<String> payloadAllowed, PayloadMemory memory) {
    return new FrameDecoder(null, maxPayload, payloadAllowed, memory);
  }

  /** {@link #over(ReadStream, int, Predicate, PayloadMemory)} with no bound on payload memory. */
  public static FrameDecoder over(ReadStream<Buffer> stream, int maxPayload, Predicate<String> payloadAllowed) {
    return over(stream, maxPayload, payloadAllowed, PayloadMemory.UNBOUNDED);
  }

  /**
   * A decoder reading {@code stream}; {@link #pause()} and {@link #resume()} apply back-pressure
   * to it. It takes the stream's handler (over a Vert.x socket, its message handler), end handler
   * (an end inside a frame drops that frame) and exception handler (errors are dropped; set
   * another one after this call). Call {@link #close()} once the stream is closed.
   */
  public static FrameDecoder over(ReadStream<Buffer> stream, int maxPayload, Predicate<String> payloadAllowed, PayloadMemory memory) {
    FrameDecoder decoder = new FrameDecoder(stream, maxPayload, payloadAllowed, memory);
    stream.exceptionHandler(error -> { });
    stream.endHandler(v -> decoder.end());
    if (stream instanceof NetSocketInternal socket) {
      // Paused by its channel's reads, not the socket's pause(): a paused socket keeps what still
      // arrives in its pooled buffers, pinning their memory (and drops them unreleased on close).
      decoder.channel = socket.channelHandlerContext().channel();
      socket.messageHandler(decoder::handleMessage);
    } else {
      stream.handler(decoder::handle);
    }
    return decoder;
  }

  /** The largest header accepted, asked at each frame (a connection may accept more once logged in). */
  public FrameDecoder headerLimit(IntSupplier limit) {
    this.headerLimit = limit;
    return this;
  }

  /**
   * Where the bytes of headers being received are taken from, and whether to wait when it is
   * spent (asked each time): if not, the decoder fails with {@link FrameMemorySpentException}.
   */
  public FrameDecoder headerMemory(PayloadMemory memory, BooleanSupplier waitWhenSpent) {
    this.headerMemory = memory;
    this.waitForHeaderMemory = waitWhenSpent;
    return this;
  }

  public FrameDecoder frameHandler(Handler<Frame> handler) {
    this.frameHandler = handler;
    return this;
  }

  public FrameDecoder errorHandler(Handler<BadFrameException> handler) {
    this.errorHandler = handler;
    return this;
  }

  /**
   * Told when the decoder itself fails (no heap for a payload, frame memory spent for one that
   * may not wait); by default it throws.
   */
  public FrameDecoder failureHandler(Handler<Throwable> handler) {
    this.failureHandler = handler;
    return this;
  }

  /**
   * Whether a frame has begun to arrive and the decoder is reading its input: until the rest of
   * the frame arrives, only its sender can move it, and the memory it holds stays taken.
   */
  public boolean awaitsRest() {
    return (state == State.HEADER || state == State.PAYLOAD || (state == State.PREFIX && filled > 0)) && !paused && !starved;
  }

  /** Bytes received into frames so far, all frames together: a sender that stalls mid-frame stops moving it. */
  public long bytesReceived() {
    return bytesReceived;
  }

  /** When the first byte of the frame now being received arrived, as a {@link System#nanoTime()} value. */
  public long frameStartNanos() {
    return frameStartNanos;
  }

  public void handle(Buffer bytes) {
    if (state == State.FAILED || bytes.length() == 0) {
      return;
    }
    input.add(bytes);
    decode();
  }

  /**
   * A message from a socket's pipeline: bytes, in the socket's own pooled buffer (ours to
   * release), decoded from there; or anything else, dropped. What the decoder cannot take now
   * (it is paused: at most what the read under way brought) waits as a heap copy: a pooled
   * buffer held that long would pin the whole chunk of direct memory it was cut from.
   */
  private void handleMessage(Object message) {
    if (!(message instanceof ByteBuf bytes)) {
      ReferenceCountUtil.release(message);
      return;
    }
    try {
      if (state == State.FAILED || !bytes.isReadable()) {
        return;
      }
      // A Buffer reads its ByteBuf by absolute index: a slice starts at 0.
      Buffer pooled = BufferInternal.buffer(bytes.readerIndex() == 0 ? bytes : bytes.slice());
      input.add(pooled);
      decode();
      if (input.peekLast() == pooled) {
        input.pollLast();
        int from = input.isEmpty() ? inputPosition : 0;
        if (from == 0) {
          input.add(Buffer.buffer(pooled.length()).appendBuffer(pooled));
        } else {
          input.add(Buffer.buffer(pooled.length() - from).appendBuffer(pooled, from, pooled.length() - from));
          inputPosition = 0;
        }
      }
    } finally {
      bytes.release();
    }
  }

  /** Stops delivering frames, and reading the stream, until {@link #resume()}. */
  public void pause() {
    paused = true;
    pauseStream();
  }

  public void resume() {
    if (!paused) {
      return;
    }
    paused = false;
    decode();
    resumeStream();
  }

  /** The stream is closed: whatever input waits is dropped (and its buffers released). */
  public void close() {
    if (state != State.FAILED) {
      fail();
    }
  }

  private void pauseStream() {
    if (channel != null) {
      if (channel.isActive()) { // a channel closing has no reads to stop (and Netty fails to stop them)
        channel.config().setAutoRead(false);
      }
    } else if (stream != null) {
      stream.pause();
    }
  }

  private void resumeStream() {
    if (paused || starved || state == State.FAILED) {
      return;
    }
    if (channel != null) {
      channel.config().setAutoRead(true);
    } else if (stream != null) {
      stream.resume();
    }
  }

  /** The stream ended: a frame begun and not complete is dropped, and nothing more is decoded. */
  private void end() {
    if (state != State.PREFIX || filled > 0 || !input.isEmpty()) {
      fail();
    }
  }

  /** Decodes what input there is until it runs out, the decoder is paused, or a frame is bad. */
  private void decode() {
    if (decoding) {
      return; // a frame handler paused and resumed: the loop below goes on by itself
    }
    decoding = true;
    try {
      while (!paused && !starved && state != State.FAILED && !input.isEmpty()) {
        Buffer head = input.peek();
        try {
          inputPosition += take(head, inputPosition);
        } catch (BadFrameException e) {
          fail();
          errorHandler.handle(e);
          return;
        } catch (RuntimeException | Error e) {
          // Out of memory for a payload, say: the frame in progress is lost, and so is the stream.
          fail();
          failureHandler.handle(e);
          return;
        }
        if (inputPosition == head.length()) {
          input.poll();
          inputPosition = 0;
        }
        if (complete != null) {
          // Delivered once the bytes it came from are counted, so a handler that throws, pauses
          // or feeds more input finds the decoder in order.
          Frame frame = complete;
          complete = null;
          try {
            frameHandler.handle(frame);
          } finally {
            // The handler has stored the payload away (and counted it again) or dropped it.
            if (frame.payload().length() > 0) {
              memory.release(frame.payload().length());
            }
          }
        }
      }
    } finally {
      decoding = false;
    }
  }

  /** Feeds the current part from {@code bytes} at {@code from}; answers how many bytes it used. */
  private int take(Buffer bytes, int from) {
    int available = bytes.length() - from;
    return switch (state) {
      case PREFIX -> {
        int n = Math.min(available, Frame.PREFIX_LENGTH - filled);
        if (filled == 0) {
          frameStartNanos = System.nanoTime();
        }
        bytesReceived += n;
        bytes.getBytes(from, from + n, prefix, filled);
        filled += n;
        if (filled == Frame.PREFIX_LENGTH) {
          prefix();
        }
        yield n;
      }
      case HEADER -> {
        int n = Math.min(available, headerLength - filled);
        if (!growHeader(filled + n)) {
          yield 0;
        }
        bytes.getBytes(from, from + n, headerBytes, filled);
        filled += n;
        bytesReceived += n;
        if (filled == headerLength) {
          header();
        }
        yield n;
      }
      case PAYLOAD -> {
        if (payload == null && !allocatePayload()) {
          yield 0;
        }
        int n = Math.min(available, payloadLength - filled);
        payload.appendBuffer(bytes, from, n);
        filled += n;
        bytesReceived += n;
        if (filled == payloadLength) {
          emit(payload);
        }
        yield n;
      }
      case FAILED -> available;
    };
  }

  private void prefix() {
    Buffer lengths = Buffer.buffer(prefix);
    long h = lengths.getUnsignedInt(0);
    long p = lengths.getUnsignedInt(4);
    Frame.checkLengths(h, p, maxPayload);
    if (h > headerLimit.getAsInt()) {
      throw new BadFrameException(BadFrameException.HEADER_LENGTH);
    }
    headerLength = (int) h;
    payloadLength = (int) p;
    next(State.HEADER);
  }

  /**
   * Makes room for {@code needed} header bytes, taken from the frame memory as the buffer grows;
   * answers false when the decoder must wait for that memory.
   */
  private boolean growHeader(int needed) {
    if (headerBytes.length >= needed) {
      return true;
    }
    int size = Math.min(headerLength, Math.max(needed, 2 * headerBytes.length));
    int more = size - headerBytes.length;
    if (!headerMemory.tryTake(more)) {
      if (!waitForHeaderMemory.getAsBoolean()) {
        throw new FrameMemorySpentException();
      }
      starve(headerMemory, more);
      return false;
    }
    headerBytes = Arrays.copyOf(headerBytes, size);
    return true;
  }

  private void releaseHeader() {
    if (headerBytes.length > 0) {
      headerMemory.release(headerBytes.length);
      headerBytes = NO_BYTES;
    }
  }

  private void header() {
    try {
      header = Header.parse(headerBytes);
    } finally {
      releaseHeader();
    }
    if (payloadLength > 0 && !payloadAllowed.test(header.cmd())) {
      throw new BadFrameException(BadFrameException.UNEXPECTED_PAYLOAD);
    }
    if (payloadLength == 0) {
      emit(null);
    } else {
      next(State.PAYLOAD);
    }
  }

  /**
   * The buffer for the payload announced, taken once its first bytes are here; answers false
   * when the decoder must wait for the memory.
   */
  private boolean allocatePayload() {
    if (!memory.tryTake(payloadLength)) {
      starve(memory, payloadLength);
      return false;
    }
    try {
      payload = memory.allocate(payloadLength);
    } catch (RuntimeException | Error e) {
      memory.release(payloadLength);
      throw e;
    }
    return true;
  }

  /** Stops reading until {@code wanted} has room for {@code bytes}; decoding then retries. */
  private void starve(PayloadMemory wanted, long bytes) {
    starved = true;
    pauseStream();
    wanted.whenAvailable(bytes, this::memoryFreed);
  }

  private void memoryFreed() {
    if (!starved || state == State.FAILED) {
      return; // failed or closed meanwhile
    }
    starved = false;
    decode();
    resumeStream();
  }

  private void emit(Buffer bytes) {
    complete = new Frame(header, bytes);
    header = null;
    payload = null;
    next(State.PREFIX);
  }

  private void next(State part) {
    state = part;
    filled = 0;
  }

  private void fail() {
    if (payload != null) {
      memory.release(payloadLength);
    }
    state = State.FAILED;
    starved = false;
    input.clear();
    inputPosition = 0;
    header = null;
    payload = null;
    releaseHeader();
    pauseStream();
  }

  private static void rethrow(Throwable error) {
    if (error instanceof Error e) {
      throw e;
    }
    throw error instanceof RuntimeException r ? r : new IllegalStateException(error);
  }

}
