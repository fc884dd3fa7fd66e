package dev.ferry.client;

import dev.ferry.server.ClusterCertificates;
import dev.ferry.server.Setting;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code ferry-server --cluster --services <service>} as a separate JVM, as an operator runs
 * it (the server's classes are on this module's test classpath); its output is kept for a
 * failure message.
 */
final class ClusterMember implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("ferry listening on \\S+:(\\d+)");
  /** The line of a process without the gateway. */
  private static final Pattern JOINED = Pattern.compile("ferry services \\S+ joined the cluster at ");
  /**
   * What bin/ferry-server gives the JVM, so that Hazelcast reaches the internals it wants; and a
   * joining member admitted at once, not after Hazelcast's 5 s batching wait.
   */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx384m",
    "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", "-Dhazelcast.wait.seconds.before.join=0");
  private static final long START_SECONDS = 120;

  final String name;
  final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> output = new ArrayList<>();
  /** The gateway's client port, once started; 0 for the other services. */
  private int port;
  private boolean started;

  private ClusterMember(String name, Process process) {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("read error: " + e);
      }
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code service} with {@code env} as its FERRY_* settings, without waiting for it. */
  static ClusterMember launch(String name, String service, Path workDir, Map<String, String> env) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-cp", classpath, "dev.ferry.server.Main", "--cluster", "--services", service));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
    if (!env.containsKey(Setting.CLUSTER_TLS_CERT_PATH.env())) {
      // Every member the kit starts gets a certificate of the cluster CA under workDir.
      Path certificates = workDir.resolve("cluster-tls");
      ClusterCertificates.issue(certificates, name);
      builder.environment().putAll(ClusterCertificates.environment(certificates, name));
    }
    builder.environment().putAll(env);
    return new ClusterMember(name, builder.start());
  }

  /** Waits for the line saying it is up: {@code ferry listening on} for the gateway, else {@code joined the cluster}. */
  ClusterMember awaitStarted() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (!started && System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line == null) {
        if (!process.isAlive()) {
          break;
        }
        continue;
      }
      output.add(line);
      Matcher listening = LISTENING.matcher(line);
      if (listening.find()) {
        port = Integer.parseInt(listening.group(1));
        started = true;
      } else if (JOINED.matcher(line).find()) {
        started = true;
      }
    }
    if (!started) {
      throw new IllegalStateException(name + " did not start; output:\n" + outputSoFar());
    }
    return this;
  }

  int port() {
    return port;
  }

  /** True when this process has {@code file} (a real path) open: Linux {@code /proc/<pid>/fd}. */
  boolean holds(Path file) throws IOException {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
      for (Path fd : fds) {
        try {
          if (Files.readSymbolicLink(fd).equals(file)) {
            return true;
          }
        } catch (IOException e) {
          // closed while we looked
        }
      }
    }
    return false;
  }

  /** SIGKILL, as a node dies: its handles and consumers vanish with it. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " survived SIGKILL");
    }
  }

  String outputSoFar() {
    lines.drainTo(output);
    return String.join("\n", output);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
