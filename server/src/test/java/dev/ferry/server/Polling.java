package dev.ferry.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a state another process reaches, when there is nothing to be told of it by. */
final class Polling {

  private Polling() {
  }

  /** Polls {@code condition} every 20 ms until it holds or {@code limit} passes; answers whether it held. */
  static boolean within(Duration limit, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }
}
