package dev.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command as a separate process, the way a user's shell does, and measures its wall
 * time and the CPU time of its whole process tree (the children this JVM has reaped, from
 * {@code /proc/self/stat}: a launcher script, the JVM it execs and anything they waited for).
 */
final class ChildProcess {

  /** Wall time and CPU seconds (user + system) of one command. */
  record Sample(double seconds, double cpu) {
  }

  /** A command that hangs fails the benchmark rather than stopping it. */
  private static final long TIMEOUT_MINUTES = 10;
  /** The unit of {@code /proc} CPU times on Linux. */
  private static final double TICKS_PER_SECOND = 100.0;

  private final Path out;
  private final Path err;

  /** Commands write their output to files in {@code dir}, overwritten by the next command. */
  ChildProcess(Path dir) {
    this.out = dir.resolve("command.out");
    this.err = dir.resolve("command.err");
  }

  /**
   * Runs {@code command} with {@code env} added to this process's environment (a null value
   * removes that variable) and answers its sample; a non-zero exit is an {@link IOException}
   * quoting the end of its stderr. Nothing else may end among this JVM's children meanwhile: a
   * server closed at the same time would count here.
   */
  Sample run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
      .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    env.forEach((k, v) -> {
      if (v == null) {
        builder.environment().remove(k);
      } else {
        builder.environment().put(k, v);
      }
    });
    double cpu0 = reapedChildrenCpu();
    long t0 = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": not done after " + TIMEOUT_MINUTES + " minutes");
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = reapedChildrenCpu() - cpu0;
    if (process.exitValue() != 0) {
      throw new CommandFailed(command, process.exitValue(), lastLines(err));
    }
    return new Sample(seconds, cpu);
  }

  /** The command's standard output, as last run. */
  String output() throws IOException {
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** The command's standard error, as last run. */
  String errors() throws IOException {
    return Files.readString(err, StandardCharsets.UTF_8);
  }

  /** A command that exited with a non-zero status. */
  static final class CommandFailed extends IOException {
    final int status;
    final String stderr;

    CommandFailed(List<String> command, int status, String stderr) {
      super(String.join(" ", command.size() > 12 ? command.subList(0, 12) : command) + (command.size() > 12 ? " ..." : "")
        + " exited with status " + status + (stderr.isEmpty() ? "" : ": " + stderr));
      this.status = status;
      this.stderr = stderr;
    }
  }

  private static String lastLines(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return String.join(" / ", lines.subList(Math.max(0, lines.size() - 5), lines.size())).strip();
  }

  /** CPU seconds of every child of this JVM that has ended and been waited for (cutime + cstime). */
  private static double reapedChildrenCpu() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / TICKS_PER_SECOND;
  }
}
