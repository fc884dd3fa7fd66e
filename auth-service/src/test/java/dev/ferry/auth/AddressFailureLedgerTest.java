package dev.ferry.auth;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class AddressFailureLedgerTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);

  private static void fail(AddressFailureLedger ledger, String address, int times) {
    for (int i = 0; i < times; i++) {
      ledger.recordFailure(address);
    }
  }

  @Test
  void limitsAnAddressOnceItHasTheFailuresAndOnlyThatAddress() {
    AddressFailureLedger ledger = new AddressFailureLedger(3, 100, clock::get);
    fail(ledger, "192.0.2.1", 2);
    assertThat(ledger.isLimited("192.0.2.1")).isFalse();
    fail(ledger, "192.0.2.1", 1);
    assertThat(ledger.isLimited("192.0.2.1")).isTrue();
    assertThat(ledger.isLimited("192.0.2.2")).isFalse();
  }

  @Test
  void theLimitLastsUntilTheMinuteFromTheFirstFailureIsOver() {
    AddressFailureLedger ledger = new AddressFailureLedger(3, 100, clock::get);
    fail(ledger, "192.0.2.1", 1);
    clock.addAndGet(50_000);
    fail(ledger, "192.0.2.1", 2);
    assertThat(ledger.isLimited("192.0.2.1")).isTrue();
    clock.addAndGet(AddressFailureLedger.WINDOW_MILLIS - 50_000 - 1);
    assertThat(ledger.isLimited("192.0.2.1")).isTrue();
    clock.addAndGet(1);
    assertThat(ledger.isLimited("192.0.2.1")).isFalse();
    assertThat(ledger.size()).isZero();
    fail(ledger, "192.0.2.1", 2);
    assertThat(ledger.isLimited("192.0.2.1")).isFalse();
  }

  @Test
  void loginsUnderWayCountOnlyOnceTheAddressHasFailed() {
    AddressFailureLedger ledger = new AddressFailureLedger(3, 100, clock::get);
    for (int i = 0; i < 10; i++) {
      assertThat(ledger.begin("192.0.2.1")).as("no failure yet: a NAT's users at once").isTrue();
    }
    for (int i = 0; i < 10; i++) {
      ledger.end("192.0.2.1", false);
    }
    assertThat(ledger.begin("192.0.2.1")).isTrue();
    ledger.end("192.0.2.1", true);
    assertThat(ledger.begin("192.0.2.1")).as("1 failure + 1 under way").isTrue();
    assertThat(ledger.begin("192.0.2.1")).as("1 failure + 2 under way").isTrue();
    assertThat(ledger.begin("192.0.2.1")).as("would pass the limit").isFalse();
    assertThat(ledger.begin("192.0.2.2")).as("another address").isTrue();
    ledger.end("192.0.2.1", false);
    assertThat(ledger.begin("192.0.2.1")).as("one came back").isTrue();
    ledger.end("192.0.2.1", true);
    ledger.end("192.0.2.1", true);
    assertThat(ledger.isLimited("192.0.2.1")).isTrue();
  }

  @Test
  void staysBoundedWhateverTheNumberOfAddresses() {
    AddressFailureLedger ledger = new AddressFailureLedger(3, 1000, clock::get);
    for (int i = 0; i < 50_000; i++) {
      ledger.recordFailure("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
      assertThat(ledger.size()).isLessThanOrEqualTo(1000);
    }
    assertThat(ledger.size()).isEqualTo(1000);
    // The newest addresses are the ones kept.
    fail(ledger, "10.0.195.79", 2);
    assertThat(ledger.isLimited("10.0.195.79")).isTrue();
    clock.addAndGet(AddressFailureLedger.WINDOW_MILLIS);
    ledger.recordFailure("192.0.2.1");
    assertThat(ledger.size()).isEqualTo(1);
  }

  @Test
  void anIpv6HostCountsByItsSlash64() {
    AddressFailureLedger ledger = new AddressFailureLedger(3, 100, clock::get);
    ledger.recordFailure("2001:db8:1:2::1");
    ledger.recordFailure("2001:db8:1:2:ffff:0:0:7");
    ledger.recordFailure("2001:0db8:0001:0002:0:0:0:9%eth0");
    assertThat(ledger.isLimited("2001:db8:1:2::abcd")).isTrue();
    assertThat(ledger.isLimited("2001:db8:1:3::1")).isFalse();
    assertThat(AddressFailureLedger.key("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(AddressFailureLedger.key("0:0:0:0:0:0:0:1")).isEqualTo("0:0:0:0::/64");
    assertThat(AddressFailureLedger.key("[::1]")).isEqualTo("0:0:0:0::/64");
    assertThat(AddressFailureLedger.key("1:2:3:4:5:6:7:8:9")).isEqualTo("1:2:3:4:5:6:7:8:9");
    assertThat(AddressFailureLedger.key("1::2::3")).isEqualTo("1::2::3");
  }

  @Test
  void noLimitAndNoAddressCountNothing() {
    AddressFailureLedger off = new AddressFailureLedger(0, 100, clock::get);
    fail(off, "192.0.2.1", 100);
    assertThat(off.isLimited("192.0.2.1")).isFalse();
    assertThat(off.size()).isZero();
    AddressFailureLedger ledger = new AddressFailureLedger(1, 100, clock::get);
    fail(ledger, "", 5);
    assertThat(ledger.isLimited("")).isFalse();
    assertThat(ledger.size()).isZero();
  }
}
