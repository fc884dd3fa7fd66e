package dev.ferry.auth;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class FailureLedgerTest {

  private static final String HERE = "192.0.2.1";
  private static final String THERE = "198.51.100.7";

  private final AtomicLong clock = new AtomicLong(50_000);
  private final FailureLedger ledger = new FailureLedger(3, 60, 100, clock::get);

  private void fail(String account, String address, int times) {
    for (int i = 0; i < times; i++) {
      ledger.recordFailure(account, address);
    }
  }

  @Test
  void locksOutWhenTheThresholdIsReached() {
    fail("alice", HERE, 2);
    assertThat(ledger.isLockedOut("alice", HERE)).isFalse();
    assertThat(ledger.failures("alice", HERE)).isEqualTo(2);
    fail("alice", HERE, 1);
    assertThat(ledger.isLockedOut("alice", HERE)).isTrue();
    assertThat(ledger.isLockedOutAnywhere("alice")).isTrue();
    assertThat(ledger.isLockedOut("bob", HERE)).isFalse();
    assertThat(ledger.isLockedOutAnywhere("bob")).isFalse();
  }

  @Test
  void aLockoutBindsOnlyTheAddressThatFailed() {
    fail("admin", HERE, 3);
    assertThat(ledger.isLockedOut("admin", HERE)).isTrue();
    assertThat(ledger.isLockedOut("admin", THERE)).isFalse();
    fail("admin", THERE, 2);
    assertThat(ledger.isLockedOut("admin", THERE)).isFalse();
    ledger.clear("admin", THERE);
    assertThat(ledger.failures("admin", THERE)).isZero();
    assertThat(ledger.isLockedOut("admin", HERE)).as("a success elsewhere lifts no lockout").isTrue();
  }

  @Test
  void anIpv6ClientCountsPerSlash64() {
    fail("alice", "2001:db8:1:2::1", 2);
    fail("alice", "2001:db8:1:2:ffff::9", 1);
    assertThat(ledger.isLockedOut("alice", "2001:db8:1:2::77")).isTrue();
    assertThat(ledger.isLockedOut("alice", "2001:db8:1:3::1")).isFalse();
  }

  @Test
  void lockoutExpiresAfterItsTimeAndTheCountStartsAgain() {
    fail("alice", HERE, 3);
    clock.addAndGet(59_999);
    assertThat(ledger.isLockedOut("alice", HERE)).isTrue();
    clock.addAndGet(1);
    assertThat(ledger.isLockedOut("alice", HERE)).isFalse();
    assertThat(ledger.failures("alice", HERE)).isZero();
    fail("alice", HERE, 2);
    assertThat(ledger.isLockedOut("alice", HERE)).isFalse();
  }

  @Test
  void failuresDuringALockoutDoNotExtendIt() {
    fail("alice", HERE, 3);
    clock.addAndGet(30_000);
    fail("alice", HERE, 5);
    clock.addAndGet(30_000);
    assertThat(ledger.isLockedOut("alice", HERE)).isFalse();
  }

  @Test
  void clearOfTheAccountResetsEveryAddress() {
    fail("alice", HERE, 3);
    fail("alice", THERE, 3);
    fail("bob", HERE, 3);
    ledger.clear("alice");
    assertThat(ledger.isLockedOutAnywhere("alice")).isFalse();
    assertThat(ledger.failures("alice", HERE)).isZero();
    assertThat(ledger.isLockedOut("bob", HERE)).isTrue();
  }

  @Test
  void staysBoundedByDroppingStaleThenOldestPairs() {
    for (int i = 0; i < 250; i++) {
      ledger.recordFailure("alice", "10.0." + (i / 250) + "." + (i % 250));
    }
    assertThat(ledger.size()).isEqualTo(100);
    assertThat(ledger.failures("alice", "10.0.0.0")).as("the oldest went first").isZero();
    assertThat(ledger.failures("alice", "10.0.0.249")).isEqualTo(1);
    clock.addAndGet(60_000);
    ledger.recordFailure("bob", HERE);
    assertThat(ledger.size()).as("quiet for lockoutSeconds: forgotten").isEqualTo(1);
  }
}
