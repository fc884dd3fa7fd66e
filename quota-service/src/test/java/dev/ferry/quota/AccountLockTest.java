package dev.ferry.quota;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** One holder at a time per account, released on every path (the clustered case: {@link QuotaClusterTest}). */
@ExtendWith(VertxExtension.class)
class AccountLockTest {

  /** Forty requests that each hold the lock across a timer: never two at once. */
  static Future<Integer> mostHoldersAtOnce(List<Vertx> nodes, String account) {
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Vertx node = nodes.get(i % nodes.size());
      all.add(new AccountLock(node).holding(account, () -> {
        most.accumulateAndGet(holders.incrementAndGet(), Math::max);
        return node.timer(2).<Void>mapEmpty().andThen(ended -> holders.decrementAndGet());
      }));
    }
    return Future.all(all).map(done -> most.get());
  }

  @Test
  void holdersNeverOverlap(Vertx vertx, VertxTestContext ctx) {
    mostHoldersAtOnce(List.of(vertx), "alice").onComplete(ctx.succeeding(most -> ctx.verify(() -> {
      assertThat(most).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void theLockIsFreeAgainAfterWorkThatFailsOrThrows(Vertx vertx, VertxTestContext ctx) {
    AccountLock lock = new AccountLock(vertx);
    Future<Object> failed = lock.holding("alice", () -> Future.failedFuture(new IllegalStateException("failed")));
    Future<Object> thrown = failed.transform(v -> lock.holding("alice", () -> {
      throw new IllegalArgumentException("thrown");
    }));
    thrown.transform(v -> lock.holding("alice", () -> Future.succeededFuture("free")))
      .onComplete(ctx.succeeding(last -> ctx.verify(() -> {
        assertThat(failed.cause()).hasMessage("failed");
        assertThat(thrown.cause()).isInstanceOf(IllegalArgumentException.class).hasMessage("thrown");
        assertThat(last).isEqualTo("free");
        ctx.completeNow();
      })));
  }

  @Test
  void accountsDoNotWaitForEachOther(Vertx vertx, VertxTestContext ctx) {
    AccountLock lock = new AccountLock(vertx);
    // alice's lock is held until bob's work, under bob's lock, has run.
    lock.holding("alice", () -> lock.holding("bob", () -> Future.succeededFuture("bob ran")))
      .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
        assertThat(result).isEqualTo("bob ran");
        ctx.completeNow();
      })));
  }
}
