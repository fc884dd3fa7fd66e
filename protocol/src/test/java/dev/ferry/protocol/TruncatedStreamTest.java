package dev.ferry.protocol;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.ferry.protocol.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream that ends in the middle of a frame (a client that disconnects mid-frame) must not
 * yield a frame made of the partial bytes. The stream is a real one: a file read by Vert.x.
 *
 * <p>When its stream ends, RecordParser hands the partial record left in its buffer to the
 * decoder; the decoder must treat it as the end of input and deliver nothing.
 */
@ExtendWith(VertxExtension.class)
class TruncatedStreamTest {

  /** Cut inside the length fields, inside the header, inside the payload. */
  @ParameterizedTest
  @ValueSource(ints = {3, 12, 45})
  void aPartialFrameAtTheEndOfTheStreamIsDropped(int cut, Vertx vertx, VertxTestContext test, @TempDir Path dir) throws Exception {
    Buffer whole = frame("{\"cmd\":\"pwd\"}")
      .appendBuffer(frame("{\"cmd\":\"uploading\",\"data\":\"0\"}", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
    int firstFrame = frame("{\"cmd\":\"pwd\"}").length();
    Path file = dir.resolve("stream.bin");
    Files.write(file, whole.getBytes(0, firstFrame + cut));
    List<Frame> frames = new ArrayList<>();
    List<BadFrameException> errors = new ArrayList<>();
    vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)).onComplete(test.succeeding(asyncFile -> {
      EndWatch stream = new EndWatch(asyncFile, test::failNow, () -> test.verify(() -> {
        assertThat(frames).extracting(f -> f.header().cmd()).containsExactly("pwd");
        test.completeNow();
      }));
      FrameDecoder.over(stream, 1024, Command::clientPayloadAllowed).frameHandler(frames::add).errorHandler(errors::add);
    }));
  }

  /**
   * The file stream as it is, except that the test learns when the decoder has seen its end:
   * the decoder takes the stream's end handler for itself.
   */
  private static final class EndWatch implements ReadStream<Buffer> {
    private final ReadStream<Buffer> file;
    private final Handler<Throwable> onThrow;
    private final Runnable afterEnd;

    EndWatch(ReadStream<Buffer> file, Handler<Throwable> onThrow, Runnable afterEnd) {
      this.file = file;
      this.onThrow = onThrow;
      this.afterEnd = afterEnd;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
      file.endHandler(handler == null ? null : v -> {
        try {
          handler.handle(v);
        } catch (RuntimeException e) {
          onThrow.handle(e);
          return;
        }
        afterEnd.run();
      });
      return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      file.exceptionHandler(handler);
      return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      file.handler(handler);
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      file.pause();
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      file.resume();
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      file.fetch(amount);
      return this;
    }
  }
}
