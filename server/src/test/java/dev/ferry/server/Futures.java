package dev.ferry.server;

import dev.ferry.protocol.bus.Failure;
import io.vertx.core.Future;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A test's blocking view of Vert.x futures: their result, or the typed failure they end with. */
final class Futures {

  private Futures() {
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** The failure {@code request} ends with; an AssertionError when it succeeds. */
  static Failure failureOf(Future<?> request) throws Exception {
    try {
      request.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return Failure.of(e.getCause());
    }
    throw new AssertionError("the request was not refused");
  }
}
