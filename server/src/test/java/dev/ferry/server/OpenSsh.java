package dev.ferry.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real SSH clients against the SFTP door: OpenSSH's {@code sftp} in batch mode (a password by
 * {@code sshpass}, or a key), {@code curl sftp://}, {@code ssh-keygen}. Host keys are not
 * recorded: each test checks the door's fingerprint on its own.
 */
final class OpenSsh {

  /** What a client process printed (stdout and stderr together) and how it exited. */
  record Run(int exit, String output) {
  }

  private static final long TIMEOUT_SECONDS = 120;

  private OpenSsh() {
  }

  /** {@code sftp -b} with {@code commands}, logging in as {@code account} with {@code password} (null: by {@code key}). */
  static Run sftp(Path dir, int port, String account, String password, Path key, String... commands) throws Exception {
    Path batch = Files.createTempFile(dir, "batch", ".txt");
    Files.writeString(batch, String.join("\n", commands) + "\n");
    List<String> command = new ArrayList<>();
    if (password != null) {
      command.addAll(List.of("sshpass", "-e"));
    }
    command.addAll(List.of("sftp", "-P", Integer.toString(port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
      "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=30"));
    if (password != null) {
      // Batch mode turns password prompts off; sshpass answers the prompt instead.
      command.addAll(List.of("-o", "BatchMode=no", "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no"));
    } else {
      command.addAll(List.of("-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "PreferredAuthentications=publickey"));
    }
    command.addAll(List.of("-b", batch.toString(), account + "@127.0.0.1"));
    return run(dir, password == null ? Map.of() : Map.of("SSHPASS", password), command);
  }

  static Process start(Path dir, Map<String, String> env, List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    return builder.start();
  }

  static Run run(Path dir, Map<String, String> env, List<String> command) throws Exception {
    Process process = start(dir, env, command);
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not end; output: " + new String(out, StandardCharsets.UTF_8));
    }
    return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** Ends a client and the processes it started ({@code sshpass} runs {@code sftp}, which runs {@code ssh}). */
  static void kill(Process process) throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle handle : tree) {
      handle.onExit().join();
    }
  }
}
