package dev.ferry.client.transfer;

import dev.ferry.client.Messages;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The display of several files at once on a terminal, on a clock the test moves. */
class MultiProgressTest {

  private static final long MIB = 1 << 20;
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong(7 * SECOND);
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final MultiProgress view = new MultiProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
    Messages.forLocale(Locale.ENGLISH), () -> 100, now::get);

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The screen as it stands: the lines kept above, then the block as last drawn. */
  private List<String> lastBlock() {
    String[] draws = output().split("\r\033\\[\\d+A");
    List<String> lines = new ArrayList<>();
    for (String line : draws[draws.length - 1].split("\n")) {
      lines.add(line.replace("\033[2K", ""));
    }
    return lines;
  }

  @Test
  void aLinePerFileMovingAndATotalWithRateAndTimeLeft() {
    view.expect(30 * MIB);
    Progress a = view.lane();
    Progress b = view.lane();
    view.fileStarts(a, 10 * MIB);
    view.fileStarts(b, 20 * MIB);
    a.begin("a.bin", Progress.Phase.TRANSFER, 10 * MIB, 0);
    b.begin("b.bin", Progress.Phase.CHECKSUM, 20 * MIB, 0);
    now.addAndGet(2 * SECOND);
    a.update(10 * MIB);
    assertThat(lastBlock()).containsExactly(
      "a.bin [====================] 100% 10.0 MiB/10.0 MiB 5.0 MiB/s",
      "b.bin (checksum) [                    ] 0% 0 B/20.0 MiB 0 B/s",
      "total: 0 files done, 33% 10.0 MiB/30.0 MiB 5.0 MiB/s, 4.0 s left");

    a.end(true);
    b.begin("b.bin", Progress.Phase.TRANSFER, 20 * MIB, 5 * MIB);
    now.addAndGet(2 * SECOND);
    b.update(20 * MIB);
    b.end(true);
    view.close();
    assertThat(output()).contains("a.bin 100% 10.0 MiB 5.0 MiB/s in 2.0 s\n", "b.bin 100% 20.0 MiB 7.5 MiB/s in 2.0 s\n");
    assertThat(lastBlock()).last().isEqualTo("total: 2 files done, 100% 30.0 MiB/30.0 MiB 6.3 MiB/s, 0.0 s left");
  }

  @Test
  void linesSaidMeanwhileStayAboveTheBlockAndAFailedFileLeavesTheTotal() {
    view.expect(3 * MIB);
    Progress a = view.lane();
    view.fileStarts(a, 2 * MIB);
    a.begin("gone.bin", Progress.Phase.TRANSFER, 2 * MIB, 0);
    view.notices().println("gone.bin: connection lost; reconnecting");
    a.end(false);
    view.fileFailed(a);
    view.println("ferry: gone.bin: no such path");
    view.close();
    assertThat(output()).contains("\033[2Kgone.bin: connection lost; reconnecting\n", "\033[2Kferry: gone.bin: no such path\n")
      .doesNotContain("gone.bin 100%");
    assertThat(lastBlock()).last().asString().startsWith("total: 0 files done, 0% 0 B/1.0 MiB");
  }

  @Test
  void aFileSizedOnlyWhenItStartsCountsThenAndAllLanesMayReportAtOnce() throws Exception {
    int lanes = 8;
    int filesEach = 50;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < lanes; i++) {
      Progress lane = view.lane();
      String name = "lane-" + i;
      threads.add(new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int f = 0; f < filesEach; f++) {
          view.fileStarts(lane, -1);
          lane.begin(name + "-" + f, Progress.Phase.TRANSFER, 1000, 0);
          for (int done = 100; done <= 1000; done += 100) {
            lane.update(done);
          }
          lane.end(true);
        }
      }));
    }
    threads.forEach(Thread::start);
    start.countDown();
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
    view.close();
    // (?s): a summary may follow the carriage return and cursor move that begin a redraw.
    assertThat(output().split("\n")).filteredOn(line -> line.matches("(?s).*lane-\\d+-\\d+ 100% 1000 B .*"))
      .hasSize(lanes * filesEach);
    assertThat(lastBlock()).last().asString().startsWith("total: 400 files done, 100% 390.6 KiB/390.6 KiB");
  }
}
