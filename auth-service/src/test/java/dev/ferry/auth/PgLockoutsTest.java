package dev.ferry.auth;

import dev.ferry.auth.db.AccountDatabase;
import dev.ferry.auth.db.DatabaseOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lockout in the shared database, through two pools standing for two auth replicas: failures
 * counted at once through both lock the pair after exactly the threshold, and no right password
 * gets past it.
 */
class PgLockoutsTest {

  private static final int THRESHOLD = 5;
  private static final long LOCKOUT_SECONDS = 900;
  private static Vertx vertx;
  private static AccountDatabase first;
  private static AccountDatabase second;
  private static final AtomicLong clock = new AtomicLong(1_000_000);

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    DatabaseOptions options = TestPostgres.options(TestPostgres.shared().newDatabase());
    first = await(AccountDatabase.open(vertx, options));
    second = await(AccountDatabase.open(vertx, options));
  }

  @AfterAll
  static void stop() throws Exception {
    await(Future.all(first.close(), second.close()));
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static PgLockouts replica(AccountDatabase db) {
    return new PgLockouts(db.pool(), THRESHOLD, LOCKOUT_SECONDS, clock::get);
  }

  @Test
  void concurrentFailuresThroughTwoReplicasLockAfterExactlyTheThreshold() throws Exception {
    PgLockouts a = replica(first);
    PgLockouts b = replica(second);
    List<Future<Lockouts.Failed>> guesses = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      guesses.add((i % 2 == 0 ? a : b).fail("alice", "192.0.2.7"));
    }
    await(Future.all(guesses));
    List<Lockouts.Failed> outcomes = guesses.stream().map(Future::result).toList();
    assertThat(outcomes).filteredOn(o -> o == Lockouts.Failed.COUNTED).hasSize(THRESHOLD - 1);
    assertThat(outcomes).filteredOn(o -> o == Lockouts.Failed.NOW_LOCKED).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o == Lockouts.Failed.ALREADY_LOCKED).hasSize(12 - THRESHOLD);

    assertThat(await(a.admit("alice", "192.0.2.7"))).as("the right password after the lockout").isFalse();
    assertThat(await(b.admit("alice", "192.0.2.7"))).isFalse();
    assertThat(await(b.isLockedOut("alice", "192.0.2.7"))).isTrue();
    assertThat(await(a.admit("alice", "192.0.2.8"))).as("another address gets in").isTrue();
    assertThat(await(a.lockedOutAccounts())).containsExactly("alice");

    await(b.clear("alice"));
    assertThat(await(a.admit("alice", "192.0.2.7"))).as("an unlock through the other replica").isTrue();
  }

  @Test
  void aRightPasswordResetsTheCountAndTheLockoutEnds() throws Exception {
    PgLockouts a = replica(first);
    PgLockouts b = replica(second);
    for (int i = 0; i < THRESHOLD - 1; i++) {
      assertThat(await((i % 2 == 0 ? a : b).fail("bob", "2001:db8::1"))).isEqualTo(Lockouts.Failed.COUNTED);
    }
    assertThat(await(b.admit("bob", "2001:db8::2"))).as("the same /64").isTrue();
    for (int i = 0; i < THRESHOLD - 1; i++) {
      assertThat(await(a.fail("bob", "2001:db8::1"))).as("counting from zero again").isEqualTo(Lockouts.Failed.COUNTED);
    }
    assertThat(await(b.fail("bob", "2001:db8::1"))).isEqualTo(Lockouts.Failed.NOW_LOCKED);
    clock.addAndGet(LOCKOUT_SECONDS * 1000);
    assertThat(await(a.isLockedOut("bob", "2001:db8::1"))).isFalse();
    assertThat(await(a.fail("bob", "2001:db8::1"))).as("a stale count starts over").isEqualTo(Lockouts.Failed.COUNTED);
    clock.addAndGet(LOCKOUT_SECONDS * 1000);
    assertThat(await(b.dropStale())).isGreaterThanOrEqualTo(1);
  }

  @Test
  void failuresOfOneAddressThroughTwoReplicasMeetOneLimit() throws Exception {
    PgAddressLimits a = new PgAddressLimits(first.pool(), 3, clock::get);
    PgAddressLimits b = new PgAddressLimits(second.pool(), 3, clock::get);
    for (int i = 0; i < 3; i++) {
      PgAddressLimits replica = i % 2 == 0 ? a : b;
      assertThat(await(replica.begin("198.51.100.9"))).isTrue();
      replica.end("198.51.100.9", true);
    }
    // The count is written after the answer: poll for it, with a deadline.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (await(b.begin("198.51.100.9")) && System.nanoTime() < deadline) {
      b.end("198.51.100.9", false);
      Thread.onSpinWait();
    }
    assertThat(await(a.begin("198.51.100.9"))).as("refused through either replica").isFalse();
    assertThat(await(b.begin("198.51.100.9"))).isFalse();
    assertThat(await(a.begin("198.51.100.10"))).as("another address").isTrue();
    a.end("198.51.100.10", false);

    clock.addAndGet(AddressFailureLedger.WINDOW_MILLIS);
    assertThat(await(b.begin("198.51.100.9"))).as("a new minute").isTrue();
    b.end("198.51.100.9", false);
    assertThat(await(a.dropEnded())).isGreaterThanOrEqualTo(1);
  }
}
