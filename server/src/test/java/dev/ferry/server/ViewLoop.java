package dev.ferry.server;

import dev.ferry.protocol.Header;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A logged-in user browsing: {@code view} of the working directory every 10 ms (a person
 * clicking about, not a benchmark), each answer's latency kept. The first failure stops it.
 */
final class ViewLoop {

  private final WireClient client;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final List<Duration> latencies = Collections.synchronizedList(new ArrayList<>());
  private volatile String failure;

  private ViewLoop(WireClient client) {
    this.client = client;
  }

  static ViewLoop start(WireClient client) {
    ViewLoop views = new ViewLoop(client);
    views.executor.scheduleWithFixedDelay(views::once, 0, 10, TimeUnit.MILLISECONDS);
    return views;
  }

  private void once() {
    long start = System.nanoTime();
    try {
      Header reply = client.call(new Header("", "", "view", ""));
      if (!reply.cmd().equals("view")) {
        throw new IllegalStateException("view answered " + reply);
      }
    } catch (IOException | RuntimeException e) {
      failure = e.toString();
      throw new IllegalStateException(e); // ends the schedule: the connection is of no more use
    }
    latencies.add(Duration.ofNanos(System.nanoTime() - start));
  }

  /** Stops once the view under way has its answer (the client's read timeout bounds the wait). */
  void stop() throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(60, TimeUnit.SECONDS);
  }

  /** What stopped it early, or null. */
  String failure() {
    return failure;
  }

  int count() {
    return latencies.size();
  }

  /** The {@code p}th percentile of the latencies (100: the slowest); a day when none answered. */
  Duration percentile(int p) {
    List<Duration> sorted;
    synchronized (latencies) {
      sorted = new ArrayList<>(latencies);
    }
    if (sorted.isEmpty()) {
      return Duration.ofDays(1);
    }
    Collections.sort(sorted);
    return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
