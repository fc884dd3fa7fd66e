package dev.ferry.bench;

import dev.ferry.bench.ChildProcess.Sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The closing table of {@code bench/run cli}: each case's ferry and reference numbers, the ratio
 * of ferry's speed to the reference's (0.8: 80% of its speed), and the client CPU of each.
 */
final class CliResults {

  private static final double MIB = 1 << 20;
  private static final double GIB = 1 << 30;
  private static final List<String> HEADINGS = List.of("case", "ferry", "reference", "ratio", "ferry CPU", "reference CPU");

  private final List<List<String>> rows = new ArrayList<>();

  /** A transfer of {@code bytes} per sample: median MiB/s (min-max) and median CPU-seconds per GiB. */
  void transfer(String name, long bytes, List<Sample> ferry, List<Sample> reference) {
    double ratio = median(rates(bytes, ferry)) / median(rates(bytes, reference));
    rows.add(List.of(name, rate(bytes, ferry), rate(bytes, reference), String.format("%.2f", ratio),
      cpuPerGiB(bytes, ferry), cpuPerGiB(bytes, reference)));
  }

  /** A case that could not run, and why. */
  void skipped(String name, String why) {
    rows.add(List.of(name, "skipped: " + why, "", "", "", ""));
  }

  /**
   * Sequential one-shot commands, one sample each: commands per second over all of them, the
   * median command's ms, and CPU-seconds per command.
   */
  void commands(String name, List<Sample> ferry, List<Sample> reference) {
    double ratio = perSecond(ferry) / perSecond(reference);
    rows.add(List.of(name, commandRate(ferry), commandRate(reference), String.format("%.3f", ratio),
      cpuPerCommand(ferry), cpuPerCommand(reference)));
  }

  static double perSecond(List<Sample> commands) {
    return commands.size() / commands.stream().mapToDouble(Sample::seconds).sum();
  }

  static double[] rates(long bytes, List<Sample> samples) {
    return samples.stream().mapToDouble(s -> bytes / MIB / s.seconds()).toArray();
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String rate(long bytes, List<Sample> samples) {
    double[] rates = rates(bytes, samples);
    return String.format("%.0f MiB/s (%.0f-%.0f)", median(rates), Arrays.stream(rates).min().orElseThrow(),
      Arrays.stream(rates).max().orElseThrow());
  }

  private static String cpuPerGiB(long bytes, List<Sample> samples) {
    return String.format("%.2f s/GiB", median(samples.stream().mapToDouble(Sample::cpu).toArray()) / (bytes / GIB));
  }

  private static String commandRate(List<Sample> samples) {
    double[] ms = samples.stream().mapToDouble(s -> s.seconds() * 1000).toArray();
    return String.format("%.2f/s (median %.0f ms)", perSecond(samples), median(ms));
  }

  private static String cpuPerCommand(List<Sample> samples) {
    return String.format("%.3f s/cmd", samples.stream().mapToDouble(Sample::cpu).sum() / samples.size());
  }

  /** The table, columns padded to their widest cell. */
  String table() {
    List<List<String>> all = new ArrayList<>();
    all.add(HEADINGS);
    all.addAll(rows);
    int[] widths = new int[HEADINGS.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(String.format("%-" + widths[i] + "s", row.get(i))).append(i + 1 < row.size() ? "  " : "");
      }
      text.append("cli: ").append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }
}
