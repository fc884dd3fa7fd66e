package dev.ferry.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The heap of a server process as the JDK's own tools see it from outside: {@code jcmd} and {@code jstat}. */
final class ServerHeap {

  /** A JVM out of memory may never answer an attach; a healthy one does within seconds, even on a loaded machine. */
  private static final long TOOL_TIMEOUT_SECONDS = 30;

  private ServerHeap() {
  }

  /** Bytes of heap in use in process {@code pid} right after a full collection ({@code jcmd GC.run}). */
  static long afterFullGc(long pid) throws IOException, InterruptedException {
    run("jcmd", Long.toString(pid), "GC.run");
    return used(run("jstat", "-gc", Long.toString(pid)));
  }

  /** Heap in use from {@code jstat -gc} output (a header line, a line of values), whatever the collector. */
  static long used(String jstat) {
    String[] lines = jstat.trim().split("\n");
    List<String> columns = Arrays.asList(lines[0].trim().split("\\s+"));
    String[] cells = lines[lines.length - 1].trim().split("\\s+");
    double usedKb = 0;
    for (String used : List.of("S0U", "S1U", "EU", "OU")) {
      usedKb += Double.parseDouble(cells[columns.indexOf(used)]);
    }
    return (long) (usedKb * 1024);
  }

  /** Runs a JDK tool and answers its output; fails if it fails or does not answer in time. */
  private static String run(String tool, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", tool).toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not answer in " + TOOL_TIMEOUT_SECONDS + " s");
    }
    // The tools print a few lines: the pipe never fills before they exit.
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output.trim());
    }
    return output;
  }
}
