package dev.ferry.client.transfer;

import dev.ferry.client.Messages;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The lines shown when progress goes to a pipe or a log, on a clock the test moves. */
class PlainProgressTest {

  private static final long MIB = 1 << 20;
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong(42 * SECOND);
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private PlainProgress progress(Locale locale) {
    return new PlainProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), Messages.forLocale(locale), now::get,
      Duration.ofSeconds(2));
  }

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aLineEveryIntervalThenASummary() {
    PlainProgress p = progress(Locale.ENGLISH);
    p.begin("a.bin", Progress.Phase.TRANSFER, 20 * MIB, 0);
    now.addAndGet(SECOND);
    p.update(4 * MIB);
    assertThat(output()).as("nothing before the interval").isEmpty();
    now.addAndGet(SECOND);
    p.update(9 * MIB);
    now.addAndGet(SECOND);
    p.update(12 * MIB);
    now.addAndGet(SECOND);
    p.update(16 * MIB);
    now.addAndGet(SECOND);
    p.update(20 * MIB);
    p.end(true);

    assertThat(output()).isEqualTo(
      "a.bin 45% 9.0 MiB/20.0 MiB 4.5 MiB/s\n"
        + "a.bin 80% 16.0 MiB/20.0 MiB 4.0 MiB/s\n"
        + "a.bin 100% 20.0 MiB 4.0 MiB/s in 5.0 s\n");
  }

  @Test
  void aResumedTransferCountsOnlyTheNewBytesInItsRate() {
    PlainProgress p = progress(Locale.ENGLISH);
    p.begin("big.iso", Progress.Phase.TRANSFER, 100 * MIB, 90 * MIB);
    now.addAndGet(2 * SECOND);
    p.update(94 * MIB);
    now.addAndGet(2 * SECOND);
    p.update(100 * MIB);
    p.end(true);
    assertThat(output()).isEqualTo(
      "big.iso 94% 94.0 MiB/100.0 MiB 2.0 MiB/s\n"
        + "big.iso 100% 100.0 MiB 2.5 MiB/s in 4.0 s\n");
  }

  @Test
  void theChecksumPhaseIsNamedAndHasNoSummary() {
    PlainProgress p = progress(Locale.ENGLISH);
    p.begin("a.bin", Progress.Phase.CHECKSUM, 10 * MIB, 0);
    now.addAndGet(3 * SECOND);
    p.update(6 * MIB);
    p.end(true);
    assertThat(output()).isEqualTo("a.bin (checksum) 60% 6.0 MiB/10.0 MiB 2.0 MiB/s\n");
  }

  @Test
  void aFailedTransferLeavesNoSummary() {
    PlainProgress p = progress(Locale.ENGLISH);
    p.begin("a.bin", Progress.Phase.TRANSFER, 10 * MIB, 0);
    p.update(MIB);
    p.end(false);
    assertThat(output()).isEmpty();
  }

  @Test
  void anEmptyFileIsDoneAtOnce() {
    PlainProgress p = progress(Locale.ENGLISH);
    p.begin("empty", Progress.Phase.TRANSFER, 0, 0);
    p.end(true);
    assertThat(output()).isEqualTo("empty 100% 0 B 0 B/s in 0.0 s\n");
  }

  @Test
  void chineseSummaryAndNamesMadeSafe() {
    PlainProgress p = progress(Locale.CHINESE);
    p.begin("报告\u001b[2J.pdf", Progress.Phase.TRANSFER, 2048, 0);
    now.addAndGet(SECOND / 2);
    p.end(true);
    assertThat(output()).isEqualTo("报告?[2J.pdf 100% 2.0 KiB 4.0 KiB/s 用时 0.5 s\n");
  }

  @Test
  void durationsAndPercentages() {
    assertThat(PlainProgress.duration(59_940_000_000L)).isEqualTo("59.9 s");
    assertThat(PlainProgress.duration(125 * SECOND)).isEqualTo("2:05");
    assertThat(PlainProgress.duration(3725 * SECOND)).isEqualTo("1:02:05");
    assertThat(PlainProgress.percent(1, 3)).isEqualTo(33);
    assertThat(PlainProgress.percent(0, 0)).isEqualTo(100);
    assertThat(BarProgress.unitName(BarProgress.unitFor(999))).isEqualTo("B");
    assertThat(BarProgress.unitName(BarProgress.unitFor(5 * MIB))).isEqualTo("MiB");
    assertThat(BarProgress.unitName(BarProgress.unitFor(3L << 30))).isEqualTo("GiB");
  }
}
