package dev.ferry.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ferry-server} as a real separate JVM, as an operator runs it; its output is kept. The
 * test kit of every module that starts server processes (the server's test-jar).
 */
public final class ServerProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("ferry listening on (\\S+):(\\d+)");
  /** The line of a process without the gateway. */
  private static final Pattern SERVICES_STARTED = Pattern.compile("ferry services \\S+ (joined the cluster at \\S+|started)");
  /** What bin/ferry-server gives the JVM, so that Hazelcast reaches the internals it wants without a warning. */
  static final List<String> JVM_OPTIONS = List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens", "java.management/sun.management=ALL-UNNAMED", "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  /**
   * How long a start may take: a cluster member joins Hazelcast, whose join of several members
   * at once takes tens of seconds on a busy machine.
   */
  private static final long START_SECONDS = 120;

  public final Process process;
  final List<String> output = new ArrayList<>();
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  int port;
  private boolean started;

  private ServerProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("read error: " + e);
      }
    }, "server-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** server/jvm.options, found from where this class was loaded: the server's target/test-classes or test-jar. */
  static final Path SHIPPED_JVM_OPTIONS = shippedJvmOptions();

  private static Path shippedJvmOptions() {
    try {
      Path loadedFrom = Path.of(ServerProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return loadedFrom.getParent().getParent().resolve("jvm.options");
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts the launcher with {@code env} added to the environment and waits until it listens. */
  static ServerProcess start(Path workDir, Map<String, String> env, String... args) throws Exception {
    return launch(workDir, env, List.of(), args).awaitStarted();
  }

  /**
   * Starts the launcher with {@code env} added to the environment and {@code jvmOptions} before
   * the main class, without waiting: {@link #awaitStarted} waits, so several may start at once.
   */
  public static ServerProcess launch(Path workDir, Map<String, String> env, List<String> jvmOptions, String... args)
    throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // The JVM options bin/ferry-server starts the server with, so the tests run what users run.
    command.add("@" + SHIPPED_JVM_OPTIONS);
    // A member a test starts is admitted at once, not after Hazelcast's 5 s batching wait.
    command.add("-Dhazelcast.wait.seconds.before.join=0");
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath, Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
    // The ops HTTP port on a port the OS picks, unless the test says otherwise: 8080 may be taken.
    builder.environment().put("FERRY_HTTP_PORT", "0");
    // The SFTP door likewise: 2222 may be taken.
    builder.environment().put("FERRY_SFTP_PORT", "0");
    if (List.of(args).contains("--cluster") && !env.containsKey(Setting.CLUSTER_TLS_CERT_PATH.env())) {
      builder.environment().putAll(clusterCertificates(workDir));
    }
    builder.environment().putAll(env);
    return new ServerProcess(builder.start());
  }

  /**
   * A new member certificate of the cluster CA under {@code workDir/cluster-tls} (made on first
   * use), as the settings that name it: what every cluster member the kit starts gets unless the
   * test gives its own (an empty {@code FERRY_CLUSTER_TLS_CERT_PATH} gives none).
   */
  static synchronized Map<String, String> clusterCertificates(Path workDir) throws IOException {
    Path dir = workDir.resolve("cluster-tls");
    String member = "member-" + (++membersIssued);
    ClusterCertificates.issue(dir, member);
    return ClusterCertificates.environment(dir, member);
  }

  private static int membersIssued;

  /**
   * The settings of a cluster member on loopback as the tests start them: data in {@code data},
   * the test token keys under {@code keys} (the private one only where auth runs), Hazelcast on
   * {@code clusterPort} among {@code members}, the gateway and event bus on ports the OS picks.
   */
  public static Map<String, String> clusterMember(Path data, Path keys, String members, int clusterPort, boolean auth,
                                           String adminPassword) throws IOException {
    Map<String, String> env = new HashMap<>(TokenKeyKit.env(keys, auth));
    env.put("FERRY_DATA", data.toString());
    env.put("FERRY_PORT", "0");
    env.put("FERRY_ADMIN_PASSWORD", adminPassword);
    env.put("FERRY_PBKDF2_ITERATIONS", "10000");
    env.put("FERRY_CLUSTER_HOST", "127.0.0.1");
    env.put("FERRY_CLUSTER_PORT", Integer.toString(clusterPort));
    env.put("FERRY_CLUSTER_MEMBERS", members);
    env.put("FERRY_EVENT_BUS_PORT", "0");
    return env;
  }

  /**
   * Waits for the line that says the process is up: {@code ferry listening on} (then {@link #port}
   * is the gateway's) or, without a gateway, {@code ferry services ...}.
   */
  public ServerProcess awaitStarted() throws InterruptedException {
    if (started) {
      return this;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line == null) {
        if (!process.isAlive()) {
          break;
        }
        continue;
      }
      output.add(line);
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        port = Integer.parseInt(m.group(2));
        started = true;
        return this;
      }
      if (SERVICES_STARTED.matcher(line).find()) {
        started = true;
        return this;
      }
    }
    drain();
    throw new IllegalStateException("server did not start; output: " + output);
  }

  /** Waits up to {@code seconds} for a line of output containing {@code text}; false if none came. */
  boolean awaitLine(String text, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        return false;
      }
      output.add(line);
      if (line.contains(text)) {
        return true;
      }
    }
  }

  /** The gateway's client port, once started with one. */
  public int port() {
    return port;
  }

  /** True when this process has {@code file} (a real path) open: Linux {@code /proc/<pid>/fd}. */
  public boolean holds(Path file) throws IOException {
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

  /** Everything it printed so far, for a failure message. */
  public String outputSoFar() {
    drain();
    return String.join("\n", output);
  }

  /** Waits for the exit of a process expected to stop by itself (a refused start), and answers its code. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("server did not exit; output: " + outputSoFar());
    }
    drainUntilEnd();
    return process.exitValue();
  }

  /** Sends SIGTERM and returns the exit code. */
  int terminate() throws InterruptedException {
    // Process.destroy() would also close our end of the output pipe; the handle only signals.
    process.toHandle().destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("server ignored SIGTERM");
    }
    drainUntilEnd();
    return process.exitValue();
  }

  private void drain() {
    lines.drainTo(output);
  }

  private void drainUntilEnd() throws InterruptedException {
    // The reader thread ends at EOF, right after the process exits.
    for (String line = lines.poll(2, TimeUnit.SECONDS); line != null; line = lines.poll(200, TimeUnit.MILLISECONDS)) {
      output.add(line);
    }
  }

  /** Sends SIGKILL, as a node that dies without a word, and waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("server survived SIGKILL");
    }
    drainUntilEnd();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
