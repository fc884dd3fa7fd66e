package dev.ferry.client.format;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuotaBarTest {

  private static final long MIB = 1L << 20;

  @Test
  void barsFillOneCellPerTwentiethRoundedDown() {
    assertThat(QuotaBar.of(0, 100)).isEqualTo("[░░░░░░░░░░░░░░░░░░░░]");
    assertThat(QuotaBar.of(50, 100)).isEqualTo("[██████████░░░░░░░░░░]");
    // The example of issue 4: 3.2 MiB of 10.0 MiB.
    assertThat(QuotaBar.of(3355444, 10 * MIB)).isEqualTo("[██████░░░░░░░░░░░░░░]");
    assertThat(QuotaBar.of(99, 100)).isEqualTo("[███████████████████░]");
    assertThat(QuotaBar.of(100, 100)).isEqualTo("[████████████████████]");
    assertThat(QuotaBar.of(300, 100)).as("over the limit: full").isEqualTo("[████████████████████]");
  }

  @Test
  void anyUsageShowsInTheBar() {
    assertThat(QuotaBar.of(1, 10 * MIB)).isEqualTo("[█░░░░░░░░░░░░░░░░░░░]");
    assertThat(QuotaBar.percent(1, 10 * MIB)).isZero();
  }

  @Test
  void percentIsRoundedDownSoThatOnlyAFullQuotaShowsAHundred() {
    assertThat(QuotaBar.percentText(3355444, 10 * MIB)).isEqualTo("32%");
    assertThat(QuotaBar.percent(999, 1000)).isEqualTo(99);
    assertThat(QuotaBar.percent(1000, 1000)).isEqualTo(100);
    assertThat(QuotaBar.percent(300, 100)).isEqualTo(300);
    assertThat(QuotaBar.percent(-5, 100)).isZero();
  }

  @Test
  void hugeCountsDoNotOverflow() {
    assertThat(QuotaBar.percent(Long.MAX_VALUE - 1, Long.MAX_VALUE)).isEqualTo(99);
    assertThat(QuotaBar.percent(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
    assertThat(QuotaBar.of(Long.MAX_VALUE / 2, Long.MAX_VALUE)).isEqualTo("[█████████░░░░░░░░░░░]");
  }

  @Test
  void noLimitHasNoShare() {
    assertThatThrownBy(() -> QuotaBar.percent(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
