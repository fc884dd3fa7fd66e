package dev.ferry.protocol;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.ferry.protocol.Frames.bytes;
import static dev.ferry.protocol.Frames.frame;
import static dev.ferry.protocol.Frames.prefix;
import static org.assertj.core.api.Assertions.assertThat;

/** The frame codec of PROTOCOL.md s1, without a network: bytes in, frames or one error out. */
class FrameDecoderTest {

  private static final int MAX_PAYLOAD = 1024;

  private final List<Frame> frames = new ArrayList<>();
  private final List<BadFrameException> errors = new ArrayList<>();
  private final FrameDecoder decoder = FrameDecoder.create(MAX_PAYLOAD, Command::clientPayloadAllowed)
    .frameHandler(frames::add)
    .errorHandler(errors::add);

  private static Buffer upload(byte[] payload) {
    return frame("{\"cmd\":\"uploading\",\"data\":\"0\"}", payload);
  }

  @Test
  void decodesTheFourFieldsAndIgnoresUnknownOnes() {
    decoder.handle(frame("{\"account\":\"alice\",\"password\":\"pw\",\"cmd\":\"view\",\"data\":\"/home\",\"extra\":[1]}"));
    assertThat(errors).isEmpty();
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).header()).isEqualTo(new Header("alice", "pw", "view", "/home"));
    assertThat(frames.get(0).payload().length()).isZero();
  }

  @Test
  void missingAccountPasswordAndDataReadAsEmpty() {
    decoder.handle(frame("{\"cmd\":\"pwd\"}"));
    assertThat(frames).extracting(Frame::header).containsExactly(new Header("", "", "pwd", ""));
  }

  @Test
  void fedOneByteAtATime() {
    byte[] payload = "chunk bytes".getBytes(StandardCharsets.UTF_8);
    Buffer input = frame("{\"cmd\":\"view\",\"data\":\"文件\"}").appendBuffer(upload(payload));
    for (int i = 0; i < input.length(); i++) {
      decoder.handle(input.getBuffer(i, i + 1));
    }
    assertThat(errors).isEmpty();
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0).header().data()).isEqualTo("文件");
    assertThat(frames.get(1).header().cmd()).isEqualTo("uploading");
    assertThat(frames.get(1).payload().getBytes()).isEqualTo(payload);
  }

  @Test
  void severalFramesInOneBuffer() {
    decoder.handle(frame("{\"cmd\":\"pwd\"}")
      .appendBuffer(upload(new byte[] {1, 2, 3}))
      .appendBuffer(frame("{\"cmd\":\"view\",\"data\":\"x\"}")));
    assertThat(errors).isEmpty();
    assertThat(frames).extracting(f -> f.header().cmd()).containsExactly("pwd", "uploading", "view");
    assertThat(frames.get(1).payload().getBytes()).containsExactly(1, 2, 3);
  }

  static IntStream splitPoints() {
    return IntStream.range(1, upload(new byte[] {9, 8, 7}).length());
  }

  /** Every split point: inside the length fields, the header and the payload. */
  @ParameterizedTest
  @MethodSource("splitPoints")
  void frameSplitAcrossTwoBuffers(int at) {
    Buffer input = upload(new byte[] {9, 8, 7});
    decoder.handle(input.getBuffer(0, at));
    assertThat(frames).isEmpty();
    decoder.handle(input.getBuffer(at, input.length()));
    assertThat(errors).isEmpty();
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).payload().getBytes()).containsExactly(9, 8, 7);
  }

  /** What the gateway watches for a sender that stops half-way through a frame. */
  @Test
  void tellsWhetherAFrameIsHalfReceivedAndHowManyBytesCame() {
    Buffer chunk = upload(new byte[] {1, 2, 3, 4, 5});
    int payloadStart = chunk.length() - 5;
    assertThat(decoder.awaitsRest()).isFalse();
    long before = System.nanoTime();
    decoder.handle(chunk.getBuffer(0, 3));
    assertThat(decoder.awaitsRest()).as("three bytes of the lengths").isTrue();
    assertThat(decoder.frameStartNanos()).isBetween(before, System.nanoTime());
    decoder.handle(chunk.getBuffer(3, payloadStart + 2));
    assertThat(decoder.awaitsRest()).isTrue();
    assertThat(decoder.bytesReceived()).isEqualTo(payloadStart + 2);
    decoder.pause();
    assertThat(decoder.awaitsRest()).as("paused: not the sender's doing").isFalse();
    decoder.resume();
    decoder.handle(chunk.getBuffer(payloadStart + 2, chunk.length()));
    assertThat(decoder.awaitsRest()).isFalse();
    assertThat(decoder.bytesReceived()).isEqualTo(chunk.length());
    assertThat(frames).hasSize(1);
  }

  @Test
  void zeroPayload() {
    decoder.handle(upload(new byte[0]));
    assertThat(errors).isEmpty();
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).payload().length()).isZero();
  }

  @Test
  void payloadOfExactlyTheMaxIsAccepted() {
    decoder.handle(upload(bytes(MAX_PAYLOAD, (byte) 7)));
    assertThat(errors).isEmpty();
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).payload().length()).isEqualTo(MAX_PAYLOAD);
  }

  @Test
  void headerOfExactlyTheMaxIsAccepted() {
    String json = "{\"cmd\":\"pwd\"}";
    String padded = json + " ".repeat(Frame.MAX_HEADER_LENGTH - json.length());
    decoder.handle(frame(padded));
    assertThat(errors).isEmpty();
    assertThat(frames).extracting(f -> f.header().cmd()).containsExactly("pwd");
  }

  @Test
  void encodeThenDecodeGivesTheSameFrame() {
    Header header = new Header("alice", "", "uploading", "0");
    Buffer payload = Buffer.buffer(bytes(100, (byte) -1));
    decoder.handle(Frame.encode(header, payload));
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).header()).isEqualTo(header);
    assertThat(frames.get(0).payload()).isEqualTo(payload);
  }

  static Stream<Arguments> malformed() {
    byte[] notUtf8 = {'{', '"', 'c', 'm', 'd', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};
    byte[] overlong = {'{', '"', 'c', 'm', 'd', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
    byte[] surrogate = {'{', '"', 'c', 'm', 'd', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
    return Stream.of(
      Arguments.of("H = 0", prefix(0, 0), BadFrameException.HEADER_LENGTH),
      Arguments.of("H = 65537", prefix(Frame.MAX_HEADER_LENGTH + 1, 0), BadFrameException.HEADER_LENGTH),
      Arguments.of("H = 2^31", prefix(1L << 31, 0), BadFrameException.HEADER_LENGTH),
      Arguments.of("H = 2^32 - 1", prefix(0xFFFF_FFFFL, 0), BadFrameException.HEADER_LENGTH),
      Arguments.of("P = max + 1", prefix(2, MAX_PAYLOAD + 1), BadFrameException.PAYLOAD_TOO_LARGE),
      Arguments.of("P = 2^32 - 1", prefix(2, 0xFFFF_FFFFL), BadFrameException.PAYLOAD_TOO_LARGE),
      Arguments.of("invalid UTF-8", frame(notUtf8, new byte[0]), BadFrameException.NOT_UTF8),
      Arguments.of("overlong UTF-8", frame(overlong, new byte[0]), BadFrameException.NOT_UTF8),
      Arguments.of("UTF-8 encoded surrogate", frame(surrogate, new byte[0]), BadFrameException.NOT_UTF8),
      Arguments.of("not JSON", frame("cmd=view"), BadFrameException.NOT_JSON_OBJECT),
      Arguments.of("truncated JSON", frame("{\"cmd\":\"view\""), BadFrameException.NOT_JSON_OBJECT),
      Arguments.of("trailing bytes after the object", frame("{\"cmd\":\"pwd\"} x"), BadFrameException.NOT_JSON_OBJECT),
      Arguments.of("two objects", frame("{\"cmd\":\"pwd\"}{\"cmd\":\"rm\"}"), BadFrameException.NOT_JSON_OBJECT),
      Arguments.of("JSON array", frame("[{\"cmd\":\"view\"}]"), BadFrameException.NOT_JSON_OBJECT),
      Arguments.of("JSON string", frame("\"view\""), BadFrameException.NOT_JSON_OBJECT),
      Arguments.of("JSON null", frame("null"), BadFrameException.NOT_JSON_OBJECT),
      Arguments.of("blank header", frame(" "), BadFrameException.NOT_JSON_OBJECT),
      Arguments.of("numeric data", frame("{\"cmd\":\"view\",\"data\":5}"), BadFrameException.FIELD_NOT_STRING),
      Arguments.of("boolean account", frame("{\"cmd\":\"view\",\"account\":true}"), BadFrameException.FIELD_NOT_STRING),
      Arguments.of("object password", frame("{\"cmd\":\"login\",\"password\":{}}"), BadFrameException.FIELD_NOT_STRING),
      Arguments.of("array cmd", frame("{\"cmd\":[\"view\"]}"), BadFrameException.FIELD_NOT_STRING),
      Arguments.of("missing cmd", frame("{\"data\":\"x\"}"), BadFrameException.NO_CMD),
      Arguments.of("empty cmd", frame("{\"cmd\":\"\"}"), BadFrameException.NO_CMD),
      Arguments.of("null cmd", frame("{\"cmd\":null}"), BadFrameException.NO_CMD),
      Arguments.of("payload on view", frame("{\"cmd\":\"view\"}", new byte[] {1}), BadFrameException.UNEXPECTED_PAYLOAD),
      Arguments.of("payload on an unknown command", frame("{\"cmd\":\"fly\"}", new byte[] {1}), BadFrameException.UNEXPECTED_PAYLOAD));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedFrameIsOneErrorWithItsReason(String name, Buffer input, String reason) {
    decoder.handle(input);
    assertThat(frames).isEmpty();
    assertThat(errors).extracting(BadFrameException::reason).containsExactly(reason);
    assertThat(errors.get(0).replyData()).isEqualTo("BAD_FRAME*" + reason);
  }

  /** Netty's rule: a length is checked before anything is allocated or waited for. */
  @Test
  void oversizedLengthsFailOnTheLengthFieldsAlone() {
    decoder.handle(prefix(1L << 31, 0));
    assertThat(errors).extracting(BadFrameException::reason).containsExactly(BadFrameException.HEADER_LENGTH);
  }

  @Test
  void nothingAfterAnErrorIsDelivered() {
    decoder.handle(frame("{\"cmd\":\"pwd\"}")
      .appendBuffer(frame("[]"))
      .appendBuffer(frame("{\"cmd\":\"pwd\"}")));
    decoder.handle(frame("{\"cmd\":\"view\"}"));
    decoder.handle(prefix(0, 0));
    assertThat(frames).extracting(f -> f.header().cmd()).containsExactly("pwd");
    assertThat(errors).extracting(BadFrameException::reason).containsExactly(BadFrameException.NOT_JSON_OBJECT);
  }

  /** The gateway pauses the decoder while a command runs: frames already buffered must wait. */
  @Test
  void pauseHoldsBufferedFramesUntilResume() {
    FrameDecoder paused = FrameDecoder.create(MAX_PAYLOAD, Command::clientPayloadAllowed).errorHandler(errors::add);
    paused.frameHandler(frame -> {
      frames.add(frame);
      paused.pause();
    });
    paused.handle(frame("{\"cmd\":\"pwd\"}").appendBuffer(frame("{\"cmd\":\"view\"}")).appendBuffer(frame("{\"cmd\":\"quota\"}")));
    assertThat(frames).extracting(f -> f.header().cmd()).containsExactly("pwd");
    paused.resume();
    assertThat(frames).extracting(f -> f.header().cmd()).containsExactly("pwd", "view");
    paused.resume();
    assertThat(frames).extracting(f -> f.header().cmd()).containsExactly("pwd", "view", "quota");
    assertThat(errors).isEmpty();
  }

  /** A payload spread over many reads arrives whole, in a buffer of its own exact size. */
  @Test
  void aPayloadInManyPiecesIsOneBufferOfItsOwn() {
    byte[] payload = new byte[1000];
    new java.util.Random(7).nextBytes(payload);
    Buffer input = upload(payload).appendBuffer(frame("{\"cmd\":\"pwd\"}"));
    List<Buffer> pieces = new ArrayList<>();
    for (int i = 0; i < input.length(); i += 37) {
      pieces.add(input.getBuffer(i, Math.min(input.length(), i + 37)));
    }
    pieces.forEach(decoder::handle);
    pieces.forEach(piece -> piece.setByte(0, (byte) 0)); // the caller's buffers are its own again
    assertThat(errors).isEmpty();
    assertThat(frames).extracting(f -> f.header().cmd()).containsExactly("uploading", "pwd");
    assertThat(frames.get(0).payload().length()).isEqualTo(payload.length);
    assertThat(frames.get(0).payload().getBytes()).isEqualTo(payload);
  }

  /** Input that comes while paused waits, in order, behind what was already buffered. */
  @Test
  void inputWhilePausedWaitsInOrder() {
    decoder.pause();
    Buffer input = frame("{\"cmd\":\"pwd\"}").appendBuffer(upload(new byte[] {4, 5}));
    decoder.handle(input.getBuffer(0, 20));
    decoder.handle(input.getBuffer(20, input.length()));
    decoder.handle(frame("{\"cmd\":\"view\"}"));
    assertThat(frames).isEmpty();
    decoder.resume();
    assertThat(frames).extracting(f -> f.header().cmd()).containsExactly("pwd", "uploading", "view");
    assertThat(frames.get(1).payload().getBytes()).containsExactly(4, 5);
  }

  /** A handler that fails does not make the decoder read the same bytes twice. */
  @Test
  void aThrowingHandlerLeavesTheDecoderInOrder() {
    List<String> seen = new ArrayList<>();
    FrameDecoder throwing = FrameDecoder.create(MAX_PAYLOAD, Command::clientPayloadAllowed).frameHandler(frame -> {
      seen.add(frame.header().cmd());
      if (seen.size() == 1) {
        throw new IllegalStateException("handler failed");
      }
    });
    Buffer two = frame("{\"cmd\":\"pwd\"}").appendBuffer(frame("{\"cmd\":\"view\"}"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> throwing.handle(two)).isInstanceOf(IllegalStateException.class);
    throwing.handle(frame("{\"cmd\":\"quota\"}"));
    assertThat(seen).containsExactly("pwd", "view", "quota");
  }

  @Test
  void aPayloadWaitsForMemoryAndHoldsItUntilItsFrameIsHandled() {
    BoundedPayloadMemory memory = new BoundedPayloadMemory(100);
    List<Long> heldWhileHandled = new ArrayList<>();
    FrameDecoder gated = FrameDecoder.create(MAX_PAYLOAD, Command::clientPayloadAllowed, memory).frameHandler(frame -> {
      frames.add(frame);
      heldWhileHandled.add(memory.used());
    });
    memory.take(60); // another connection's chunk
    gated.handle(upload(new byte[50]).appendBuffer(frame("{\"cmd\":\"pwd\"}")));
    assertThat(frames).isEmpty();

    memory.release(60);
    assertThat(frames).extracting(f -> f.header().cmd()).containsExactly("uploading", "pwd");
    assertThat(frames.get(0).payload().length()).isEqualTo(50);
    assertThat(heldWhileHandled).containsExactly(50L, 0L);
    assertThat(memory.used()).isZero();
  }

  @Test
  void aPayloadIsReceivedIntoTheBufferItsMemoryHandsOut() {
    List<Buffer> handedOut = new ArrayList<>();
    BoundedPayloadMemory memory = new BoundedPayloadMemory(100) {
      @Override
      public Buffer allocate(int length) {
        Buffer buffer = Buffer.buffer(length);
        handedOut.add(buffer);
        return buffer;
      }
    };
    FrameDecoder gated = FrameDecoder.create(MAX_PAYLOAD, Command::clientPayloadAllowed, memory).frameHandler(frames::add);
    byte[] content = "forty-two bytes of a chunk, split in two..".getBytes(StandardCharsets.UTF_8);
    Buffer whole = upload(content);
    gated.handle(whole.getBuffer(0, whole.length() - 7));
    gated.handle(whole.getBuffer(whole.length() - 7, whole.length()));
    assertThat(handedOut).hasSize(1);
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).payload()).isSameAs(handedOut.get(0));
    assertThat(frames.get(0).payload().getBytes()).isEqualTo(content);
  }

  @Test
  void aFrameCutShortGivesItsMemoryBack() {
    BoundedPayloadMemory memory = new BoundedPayloadMemory(100);
    FrameDecoder gated = FrameDecoder.create(MAX_PAYLOAD, Command::clientPayloadAllowed, memory).frameHandler(frames::add);
    Buffer whole = upload(new byte[50]);
    gated.handle(whole.getBuffer(0, whole.length() - 10));
    assertThat(memory.used()).isEqualTo(50);

    gated.close();
    assertThat(memory.used()).isZero();
    gated.handle(whole.getBuffer(whole.length() - 10, whole.length()));
    assertThat(frames).isEmpty();
  }

  @Test
  void aDecoderThatCannotGoOnReportsItOnceAndStops() {
    PayloadMemory exhausted = new BoundedPayloadMemory(1) {
      @Override
      public boolean tryTake(long bytes) {
        throw new OutOfMemoryError("no heap for " + bytes + " bytes");
      }
    };
    List<Throwable> failures = new ArrayList<>();
    FrameDecoder failing = FrameDecoder.create(MAX_PAYLOAD, Command::clientPayloadAllowed, exhausted)
      .frameHandler(frames::add).failureHandler(failures::add);
    failing.handle(upload(new byte[10]).appendBuffer(frame("{\"cmd\":\"pwd\"}")));
    failing.handle(frame("{\"cmd\":\"view\"}"));
    assertThat(failures).singleElement().isInstanceOf(OutOfMemoryError.class);
    assertThat(frames).isEmpty();
  }

  @Test
  void aHeaderTakesFrameMemoryAsItsBytesArriveNotAsAnnounced() {
    BoundedPayloadMemory headers = new BoundedPayloadMemory(1 << 20);
    FrameDecoder decoder = FrameDecoder.create(MAX_PAYLOAD, Command::clientPayloadAllowed)
      .headerMemory(headers, () -> true).frameHandler(frames::add).errorHandler(errors::add);
    decoder.handle(prefix(Frame.MAX_HEADER_LENGTH, 0).appendString("{\"cmd\":"));
    assertThat(headers.used()).as("seven bytes came, 64 KiB were announced").isBetween(7L, 14L);
    decoder.close();
    assertThat(headers.used()).isZero();
    assertThat(errors).isEmpty();
  }

  @Test
  void aCompleteHeaderGivesItsFrameMemoryBack() {
    BoundedPayloadMemory headers = new BoundedPayloadMemory(1 << 20);
    FrameDecoder decoder = FrameDecoder.create(MAX_PAYLOAD, Command::clientPayloadAllowed)
      .headerMemory(headers, () -> true).frameHandler(frames::add);
    Buffer input = frame("{\"cmd\":\"view\",\"data\":\"/home/alice\"}");
    for (int i = 0; i < input.length(); i++) {
      decoder.handle(input.getBuffer(i, i + 1));
    }
    assertThat(frames).hasSize(1);
    assertThat(headers.used()).isZero();
  }

  @Test
  void aHeaderOverTheCurrentLimitIsRefusedBeforeAnythingIsAllocated() {
    int[] limit = {4096};
    FrameDecoder decoder = FrameDecoder.create(MAX_PAYLOAD, Command::clientPayloadAllowed)
      .headerLimit(() -> limit[0]).frameHandler(frames::add).errorHandler(errors::add);
    decoder.handle(frame("{\"cmd\":\"view\",\"data\":\"" + "a".repeat(4000) + "\"}"));
    assertThat(frames).hasSize(1);
    limit[0] = Frame.MAX_HEADER_LENGTH;
    decoder.handle(frame("{\"cmd\":\"view\",\"data\":\"" + "a".repeat(8000) + "\"}"));
    assertThat(frames).hasSize(2);
    limit[0] = 4096;
    decoder.handle(prefix(4097, 0));
    assertThat(errors).extracting(BadFrameException::reason).containsExactly(BadFrameException.HEADER_LENGTH);
  }

  @Test
  void aConnectionThatMayNotWaitFailsWhenFrameMemoryIsSpent() {
    BoundedPayloadMemory headers = new BoundedPayloadMemory(100);
    headers.take(100); // other connections' headers
    List<Throwable> failures = new ArrayList<>();
    FrameDecoder decoder = FrameDecoder.create(MAX_PAYLOAD, Command::clientPayloadAllowed)
      .headerMemory(headers, () -> false).frameHandler(frames::add).failureHandler(failures::add);
    decoder.handle(frame("{\"cmd\":\"pwd\"}"));
    assertThat(failures).singleElement().isInstanceOf(FrameMemorySpentException.class);
    assertThat(frames).isEmpty();
    assertThat(headers.used()).isEqualTo(100);
  }

  @Test
  void aConnectionThatMayWaitReadsOnOnceFrameMemoryComesBack() {
    BoundedPayloadMemory headers = new BoundedPayloadMemory(100);
    headers.take(100);
    FrameDecoder decoder = FrameDecoder.create(MAX_PAYLOAD, Command::clientPayloadAllowed)
      .headerMemory(headers, () -> true).frameHandler(frames::add).errorHandler(errors::add);
    decoder.handle(frame("{\"cmd\":\"pwd\"}").appendBuffer(frame("{\"cmd\":\"view\"}")));
    assertThat(frames).isEmpty();
    headers.release(100);
    assertThat(frames).extracting(f -> f.header().cmd()).containsExactly("pwd", "view");
    assertThat(headers.used()).isZero();
  }

  @Test
  void aPayloadAnnouncedButNotSentHoldsNoMemory() {
    BoundedPayloadMemory memory = new BoundedPayloadMemory(1 << 20);
    FrameDecoder gated = FrameDecoder.create(MAX_PAYLOAD, Command::clientPayloadAllowed, memory).frameHandler(frames::add);
    Buffer whole = upload(new byte[MAX_PAYLOAD]);
    int headerEnd = whole.length() - MAX_PAYLOAD;
    gated.handle(whole.getBuffer(0, headerEnd));
    assertThat(memory.used()).isZero();
    gated.handle(whole.getBuffer(headerEnd, headerEnd + 1));
    assertThat(memory.used()).isEqualTo(MAX_PAYLOAD);
    gated.handle(whole.getBuffer(headerEnd + 1, whole.length()));
    assertThat(frames).hasSize(1);
    assertThat(memory.used()).isZero();
  }
}
