package dev.ferry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Peak heap in use and peak RSS of a process while a benchmark runs: one {@code jstat -gc}
 * process streaming a line every 250 ms (starting a JVM per sample would load the machine).
 */
final class MemorySampler implements AutoCloseable {

  private final long pid;
  private final Process jstat;
  private final Thread reader;
  private volatile long peakHeap;
  private volatile long peakRss;

  MemorySampler(long pid) throws IOException {
    this.pid = pid;
    Path jstatBin = Path.of(System.getProperty("java.home"), "bin", "jstat");
    jstat = new ProcessBuilder(jstatBin.toString(), "-gc", String.valueOf(pid), "250").redirectErrorStream(true).start();
    reader = new Thread(this::read, "jstat-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> columns = null;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] cells = line.trim().split("\\s+");
        if (cells.length > 0 && cells[0].equals("S0C")) {
          columns = Arrays.asList(cells);
          continue;
        }
        if (columns == null || cells.length != columns.size()) {
          continue;
        }
        peakHeap = Math.max(peakHeap, heapUsed(columns, cells));
        peakRss = Math.max(peakRss, rss());
      }
    } catch (IOException | RuntimeException e) {
      // The sampled process ended; the peaks so far stand.
    }
  }

  /** Bytes of heap in use in a line of {@code jstat -gc} under its header {@code columns}, whatever the collector. */
  static long heapUsed(List<String> columns, String[] cells) {
    double usedKb = 0;
    for (String used : List.of("S0U", "S1U", "EU", "OU")) {
      usedKb += Double.parseDouble(cells[columns.indexOf(used)]);
    }
    return (long) (usedKb * 1024);
  }

  private long rss() {
    try {
      return rss(pid);
    } catch (IOException e) {
      return 0; // gone
    }
  }

  /** Resident set size of process {@code pid}, in bytes; -1 when its status has none. */
  static long rss(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return -1;
  }

  long peakHeap() {
    return peakHeap;
  }

  long peakRss() {
    return peakRss;
  }

  @Override
  public void close() {
    jstat.destroy();
  }
}
