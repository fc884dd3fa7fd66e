package dev.ferry.gateway;

import dev.ferry.protocol.Replies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's meters, all of them, on Micrometer's global registry: no-ops until the launcher
 * adds a registry to it (the server's Prometheus one), so tests and embedders need nothing.
 * Every tag combination is registered up front, so a scrape shows zeros rather than missing
 * series. Prometheus names, as Micrometer converts them:
 *
 * <ul>
 *   <li>{@code ferry_sessions_open}: logged-in sessions of this process's gateways</li>
 *   <li>{@code ferry_logins_total{result=ok|bad_credentials|no_such_account|locked}}</li>
 *   <li>{@code ferry_transfer_bytes_total{direction=upload|download}}: file bytes received from
 *       clients ({@code uploading} chunks) and sent to them ({@code download_ing} chunks)</li>
 *   <li>{@code ferry_transfers_total{direction, result=success|failed|aborted|checksum_mismatch|quota_exceeded}}:
 *       transfers that began (the client had {@code READY} or {@code <size>*<sha256>}), by how they
 *       ended; the last two only for uploads</li>
 *   <li>{@code ferry_transfer_duration_seconds{direction}}: a histogram of their durations</li>
 * </ul>
 */
public final class GatewayMetrics {

  /** Which way file bytes go. */
  public enum Direction {
    UPLOAD, DOWNLOAD;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** How a transfer this way can end: only storage checks checksums and quota, and only of uploads. */
    Set<Outcome> outcomes() {
      return this == UPLOAD ? EnumSet.allOf(Outcome.class) : EnumSet.of(Outcome.SUCCESS, Outcome.FAILED, Outcome.ABORTED);
    }
  }

  /** How a transfer ended. */
  public enum Outcome {
    SUCCESS, FAILED, ABORTED, CHECKSUM_MISMATCH, QUOTA_EXCEEDED;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Histogram buckets of transfer durations: a small file takes milliseconds, a large one on a
   * slow link an hour (Prometheus adds +Inf).
   */
  private static final Duration[] DURATION_BUCKETS = {
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
    Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1)};

  private static final AtomicInteger SESSIONS_OPEN = new AtomicInteger();
  /** Login answer code (PROTOCOL.md s3) to its counter. */
  private static final Map<String, Counter> LOGINS;
  private static final Map<Direction, Counter> BYTES = new EnumMap<>(Direction.class);
  private static final Map<Direction, Map<Outcome, Counter>> TRANSFERS = new EnumMap<>(Direction.class);
  private static final Map<Direction, Timer> DURATIONS = new EnumMap<>(Direction.class);
  /** {@code BUSY} reason to the counter of connections refused or closed for it. */
  private static final Map<String, Counter> REFUSED;

  static {
    MeterRegistry registry = Metrics.globalRegistry;
    Gauge.builder("ferry.sessions.open", SESSIONS_OPEN, AtomicInteger::get)
      .description("Logged-in client sessions of this gateway")
      .register(registry);
    LOGINS = Map.of(
      Replies.LOGIN_OK, login(registry, "ok"),
      Replies.LOGIN_BAD_CREDENTIALS, login(registry, "bad_credentials"),
      Replies.LOGIN_NO_SUCH_ACCOUNT, login(registry, "no_such_account"),
      Replies.LOGIN_LOCKED, login(registry, "locked"),
      Replies.join(Replies.BUSY, Replies.BUSY_HASHING), login(registry, "busy_hashing"),
      Replies.join(Replies.BUSY, Replies.BUSY_RATE_LIMITED), login(registry, "rate_limited"),
      Replies.join(Replies.BUSY, Replies.BUSY_UNAVAILABLE), login(registry, "unavailable"),
      Replies.join(Replies.BUSY, Replies.BUSY_SESSIONS), login(registry, "busy_sessions"));
    REFUSED = Map.of(
      Replies.BUSY_CONNECTIONS, refused(registry, "connections"),
      Replies.BUSY_UNAUTHENTICATED, refused(registry, "unauthenticated"),
      Replies.BUSY_ADDRESS, refused(registry, "address"),
      Replies.BUSY_MEMORY, refused(registry, "memory"));
    for (Direction direction : Direction.values()) {
      BYTES.put(direction, Counter.builder("ferry.transfer.bytes")
        .description("File bytes received from clients (upload) and sent to them (download)")
        .baseUnit("bytes")
        .tag("direction", direction.tag())
        .register(registry));
      Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
      for (Outcome outcome : direction.outcomes()) {
        byOutcome.put(outcome, Counter.builder("ferry.transfers")
          .description("Transfers that began, by how they ended")
          .tag("direction", direction.tag())
          .tag("result", outcome.tag())
          .register(registry));
      }
      TRANSFERS.put(direction, byOutcome);
      DURATIONS.put(direction, Timer.builder("ferry.transfer.duration")
        .description("Time from the start of a transfer to its end, whatever the outcome")
        .tag("direction", direction.tag())
        .serviceLevelObjectives(DURATION_BUCKETS)
        .register(registry));
    }
  }

  private GatewayMetrics() {
  }

  private static Counter login(MeterRegistry registry, String result) {
    return Counter.builder("ferry.logins").description("Login attempts by result").tag("result", result).register(registry);
  }

  private static Counter refused(MeterRegistry registry, String reason) {
    return Counter.builder("ferry.connections.refused")
      .description("Connections refused or closed before login because a limit was reached, by limit")
      .tag("reason", reason).register(registry);
  }

  /** A connection refused, or closed before login, with {@code BUSY*<reason>}. */
  static void connectionRefused(String reason) {
    Counter counter = REFUSED.get(reason);
    if (counter != null) {
      counter.increment();
    }
  }

  /**
   * Makes sure the meters are registered (at 0) once a gateway starts, not only at the first
   * login: a scrape should show every series from the beginning.
   */
  static void register() {
    // Loading the class registered them.
  }

  /** A session logged in (it was not before). */
  static void sessionOpened() {
    SESSIONS_OPEN.incrementAndGet();
  }

  /** A logged-in session logged out or closed. */
  static void sessionClosed() {
    SESSIONS_OPEN.decrementAndGet();
  }

  /**
   * A login answered with {@code code} ({@code 1}, {@code 0}, {@code 2} or {@code 9}, PROTOCOL.md
   * s3, or {@code BUSY*HASHING}, {@code BUSY*RATE_LIMITED}, {@code BUSY*UNAVAILABLE}).
   */
  public static void login(String code) {
    Counter counter = LOGINS.get(code);
    if (counter != null) {
      counter.increment();
    }
  }

  /** The transfer as the client sees it, counted: bytes, outcome and duration. */
  public static Transfer metered(Transfer transfer) {
    return transfer == null ? null : new MeteredTransfer(transfer);
  }

  static void transferred(Direction direction, long bytes) {
    BYTES.get(direction).increment(bytes);
  }

  static void transferEnded(Direction direction, Outcome outcome, long nanos) {
    TRANSFERS.get(direction).get(outcome).increment();
    DURATIONS.get(direction).record(nanos, TimeUnit.NANOSECONDS);
  }
}
