package dev.ferry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real ferry-server JVM started from its jar, with the probes a benchmark reads. */
final class ServerUnderTest implements AutoCloseable {

  static final String ADMIN_PASSWORD = "bench-admin-pass";
  private static final Pattern LISTENING = Pattern.compile("ferry listening on (\\S+):(\\d+)");
  /** The line of a cluster member without the gateway. */
  private static final Pattern JOINED = Pattern.compile("ferry services \\S+ joined the cluster at ");

  private final Process process;
  /** The gateway's port; -1 for a process without the gateway. */
  final int port;

  private ServerUnderTest(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static ServerUnderTest start(Path serverJar, Path data, Map<String, String> env) throws IOException {
    return start(serverJar, data, env, List.of());
  }

  static ServerUnderTest start(Path serverJar, Path data, Map<String, String> env, List<String> jvmOptions) throws IOException {
    return start(serverJar, data, env, jvmOptions, List.of(), data.resolveSibling(data.getFileName() + ".log"));
  }

  /**
   * A server with command-line {@code args} (say {@code --cluster --services storage}), its output
   * kept in {@code log}; returns once it listens, or for a process without the gateway once it
   * joined its cluster.
   */
  static ServerUnderTest start(Path serverJar, Path data, Map<String, String> env, List<String> jvmOptions, List<String> args,
                               Path log) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(javaBin()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", serverJar.toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command)
      .redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
    builder.environment().putAll(Map.of("FERRY_PORT", "0", "FERRY_DATA", data.toString(), "FERRY_ADMIN_PASSWORD", ADMIN_PASSWORD,
      "FERRY_HTTP_PORT", "0", "FERRY_SFTP_PORT", "0"));
    builder.environment().putAll(env);
    Process process = builder.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      Matcher m = LISTENING.matcher(line);
      boolean listening = m.find();
      if (listening || JOINED.matcher(line).find()) {
        Thread drain = new Thread(() -> drain(out, log), "server-output");
        drain.setDaemon(true);
        drain.start();
        return new ServerUnderTest(process, listening ? Integer.parseInt(m.group(2)) : -1);
      }
    }
    throw new IOException("ferry-server ended before it was listening (alive: " + process.isAlive() + ")");
  }

  /** Keeps the server's log beside its data directory, out of the numbers but there to read. */
  private static void drain(BufferedReader out, Path log) {
    try (var writer = Files.newBufferedWriter(log)) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        writer.write(line);
        writer.newLine();
        writer.flush(); // readable while the server runs, and whole when a benchmark fails
      }
    } catch (IOException e) {
      // The server is gone; nothing more to read.
    }
  }

  /** CPU time the server process has used so far, in seconds (user + system). */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  long pid() {
    return process.pid();
  }

  /**
   * What became of the server after a client lost it: {@code "exited with status 3"} (a JVM out of
   * heap exits with 3) or {@code "still running"}, waiting a few seconds for an exit under way.
   */
  String state() throws InterruptedException {
    return process.waitFor(5, TimeUnit.SECONDS) ? "exited with status " + process.exitValue() : "still running";
  }

  /** Heap in use after a full collection, in bytes (jcmd, from the same JDK). */
  long heapUsedAfterGc() throws IOException, InterruptedException {
    String pid = String.valueOf(process.pid());
    jdkTool("jcmd", pid, "GC.run");
    // jstat's columns are the same for every collector; GC.heap_info's text is not.
    String[] lines = jdkTool("jstat", "-gc", pid).trim().split("\\R");
    if (lines.length != 2) {
      throw new IOException("cannot read the heap size from jstat: " + String.join(" / ", lines));
    }
    return MemorySampler.heapUsed(Arrays.asList(lines[0].trim().split("\\s+")), lines[1].trim().split("\\s+"));
  }

  /** Resident set size of the server process, in bytes. */
  long rss() throws IOException {
    return MemorySampler.rss(process.pid());
  }

  /** Runs the JDK's {@code tool} (jcmd, jstat) with {@code arguments}; returns its output. */
  private static String jdkTool(String tool, String... arguments) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", tool).toString()));
    command.addAll(List.of(arguments));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return text;
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public void close() throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
