package dev.ferry.auth;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class FailureLedgerTest {

  private final AtomicLong clock = new AtomicLong(50_000);
  private final FailureLedger ledger = new FailureLedger(3, 60, clock::get);

  private void fail(String account, int times) {
    for (int i = 0; i < times; i++) {
      ledger.recordFailure(account);
    }
  }

  @Test
  void locksOutWhenTheThresholdIsReached() {
    fail("alice", 2);
    assertThat(ledger.isLockedOut("alice")).isFalse();
    assertThat(ledger.failures("alice")).isEqualTo(2);
    fail("alice", 1);
    assertThat(ledger.isLockedOut("alice")).isTrue();
    assertThat(ledger.isLockedOut("bob")).isFalse();
  }

  @Test
  void lockoutExpiresAfterItsTimeAndTheCountStartsAgain() {
    fail("alice", 3);
    clock.addAndGet(59_999);
    assertThat(ledger.isLockedOut("alice")).isTrue();
    clock.addAndGet(1);
    assertThat(ledger.isLockedOut("alice")).isFalse();
    assertThat(ledger.failures("alice")).isZero();
    fail("alice", 2);
    assertThat(ledger.isLockedOut("alice")).isFalse();
  }

  @Test
  void failuresDuringALockoutDoNotExtendIt() {
    fail("alice", 3);
    clock.addAndGet(30_000);
    fail("alice", 5);
    clock.addAndGet(30_000);
    assertThat(ledger.isLockedOut("alice")).isFalse();
  }

  @Test
  void clearResetsCountAndLockout() {
    fail("alice", 2);
    ledger.clear("alice");
    fail("alice", 2);
    assertThat(ledger.isLockedOut("alice")).isFalse();
    fail("alice", 1);
    assertThat(ledger.isLockedOut("alice")).isTrue();
    ledger.clear("alice");
    assertThat(ledger.isLockedOut("alice")).isFalse();
    assertThat(ledger.failures("alice")).isZero();
  }
}
