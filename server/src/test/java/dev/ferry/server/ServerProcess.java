package dev.ferry.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ferry-server} as a real separate JVM, as an operator runs it; its output is kept. */
final class ServerProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("ferry listening on (\\S+):(\\d+)");

  final Process process;
  final List<String> output = new ArrayList<>();
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  int port;

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

  /** Starts the launcher with {@code env} added to the environment and waits until it listens. */
  static ServerProcess start(Path workDir, Map<String, String> env, String... args) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", classpath, Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("FERRY_"));
    builder.environment().putAll(env);
    ServerProcess server = new ServerProcess(builder.start());
    server.port = server.awaitListening();
    return server;
  }

  private int awaitListening() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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
        return Integer.parseInt(m.group(2));
      }
    }
    drain();
    throw new IllegalStateException("server did not start; output: " + output);
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

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
