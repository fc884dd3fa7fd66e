package dev.ferry.protocol.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class ChunkCodecTest {

  @Test
  void aLocalChunkArrivesAsTheSameBufferWhereThePlainCodecCopies(Vertx vertx, VertxTestContext test) {
    ChunkCodec.register(vertx);
    ChunkCodec.register(vertx); // the gateway and storage may both register on one Vert.x
    Buffer chunk = Buffer.buffer("file bytes");
    vertx.eventBus().<Buffer>consumer("chunks", message -> message.reply(message.body() == chunk))
      .completion()
      .compose(v -> vertx.eventBus().<Boolean>request("chunks", chunk, ChunkCodec.options()))
      .compose(same -> {
        test.verify(() -> assertThat(same.body()).isTrue());
        return vertx.eventBus().<Boolean>request("chunks", chunk);
      })
      .onComplete(test.succeeding(same -> test.verify(() -> {
        assertThat(same.body()).as("the default codec copies").isFalse();
        test.completeNow();
      })));
  }

  @Test
  void onTheWireAChunkKeepsItsBytesAndItsEnd() {
    ChunkCodec codec = new ChunkCodec();
    Buffer wire = Buffer.buffer("before");
    codec.encodeToWire(wire, Buffer.buffer(new byte[] {1, 2, 3}));
    wire.appendString("after");
    assertThat(codec.decodeFromWire("before".length(), wire).getBytes()).containsExactly(1, 2, 3);
  }
}
