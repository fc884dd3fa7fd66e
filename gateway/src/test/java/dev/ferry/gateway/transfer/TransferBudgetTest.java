package dev.ferry.gateway.transfer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TransferBudgetTest {

  @Test
  void waitersAreCalledInOrderOnceTheirBytesFit() {
    TransferBudget budget = new TransferBudget(10);
    assertThat(budget.tryTake(6)).isTrue();
    assertThat(budget.tryTake(6)).as("would pass the capacity").isFalse();
    List<String> woken = new ArrayList<>();
    budget.whenAvailable(6, () -> woken.add("first"));
    budget.whenAvailable(2, () -> woken.add("second, small enough to fit now, but behind the first"));
    budget.take(4);
    assertThat(budget.spent()).isTrue();
    budget.release(4);
    assertThat(woken).as("6 of 10 used: the first still does not fit").isEmpty();
    budget.release(6);
    assertThat(woken).containsExactly("first", "second, small enough to fit now, but behind the first");
    assertThat(budget.used()).isZero();
  }

  @Test
  void bytesPromisedToAWokenWaiterAreNotTakenByAnother() throws Exception {
    TransferBudget budget = new TransferBudget(10);
    budget.take(10);
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<Boolean> took = new CompletableFuture<>();
      CompletableFuture<Void> waiting = new CompletableFuture<>();
      // Waits from a context, so it is called back there, after release has returned.
      vertx.runOnContext(v -> {
        budget.whenAvailable(8, () -> took.complete(budget.tryTake(8)));
        waiting.complete(null);
      });
      waiting.get(5, TimeUnit.SECONDS);
      budget.release(10);
      assertThat(budget.tryTake(4)).as("8 of 10 promised to the waiter, or taken by it").isFalse();
      assertThat(took.get(5, TimeUnit.SECONDS)).isTrue();
      assertThat(budget.used()).isEqualTo(8);
    } finally {
      vertx.close();
    }
  }

  @Test
  void aChunkLargerThanTheWholeBudgetStillGoesAloneSoNothingWaitsForever() {
    TransferBudget budget = new TransferBudget(10);
    assertThat(budget.tryTake(64)).isTrue();
    assertThat(budget.tryTake(1)).isFalse();
    budget.release(64);
    assertThat(budget.tryTake(1)).isTrue();
  }

  @Test
  void aWaiterIsCalledOnlyOnceItsBytesFit() {
    TransferBudget budget = new TransferBudget(10);
    budget.take(10);
    int[] calls = {0};
    Runnable[] retry = new Runnable[1];
    retry[0] = () -> {
      calls[0]++;
      if (!budget.tryTake(5)) {
        budget.whenAvailable(5, retry[0]);
      }
    };
    budget.whenAvailable(5, retry[0]);
    budget.release(3);
    assertThat(calls[0]).as("7 of 10 used: 5 do not fit").isZero();
    budget.release(7);
    assertThat(calls[0]).isEqualTo(1);
    assertThat(budget.used()).isEqualTo(5);
  }

  @Test
  void chunksAreReceivedIntoDirectBuffersThatAreReusedOnceGivenBack() {
    TransferBudget budget = new TransferBudget(4 << 20);
    Buffer chunk = budget.allocate(1 << 20);
    assertThat(chunk.length()).as("empty, to be filled").isZero();
    chunk.appendBuffer(Buffer.buffer(new byte[1 << 20]).setByte(5, (byte) 42));
    assertThat(((BufferInternal) chunk).getByteBuf().isDirect()).isTrue();
    assertThat(chunk.getByte(5)).isEqualTo((byte) 42);
    budget.recycle(chunk);
    assertThat(budget.freeBytes()).isEqualTo(1 << 20);

    Buffer next = budget.allocate(1 << 20);
    assertThat(next.length()).isZero();
    assertThat(budget.freeBytes()).as("the same memory again").isZero();
    assertThat(budget.allocate(1 << 20)).as("none free: a new buffer").isNotNull();
    assertThat(((BufferInternal) budget.allocate(1000)).getByteBuf().isDirect()).as("small payloads stay on the heap").isFalse();
  }

  @Test
  void freeBuffersNeverPassTheCapacityAndOddSizesStayOnTheHeap() {
    TransferBudget budget = new TransferBudget(2 << 20);
    Buffer odd = budget.allocate((1 << 20) + 1);
    assertThat(((BufferInternal) odd).getByteBuf().isDirect()).as("the last chunk of a file, say: never reused").isFalse();
    budget.recycle(odd.appendBuffer(Buffer.buffer(new byte[(1 << 20) + 1])));
    assertThat(budget.freeBytes()).isZero();

    List<Buffer> many = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      many.add(budget.allocate(1 << 20).appendBuffer(Buffer.buffer(new byte[1 << 20])));
    }
    many.forEach(budget::recycle);
    assertThat(budget.freeBytes()).as("kept: the capacity at most").isEqualTo(2 << 20);
    budget.recycle(Buffer.buffer(new byte[1 << 20])); // not one of its own: ignored
    assertThat(budget.freeBytes()).isEqualTo(2 << 20);
  }
}
