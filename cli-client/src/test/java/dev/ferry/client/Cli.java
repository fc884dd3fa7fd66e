package dev.ferry.client;

import dev.ferry.client.command.RemoteSession;
import dev.ferry.client.net.Connector;
import dev.ferry.client.net.KnownServers;
import dev.ferry.client.net.TrustPrompt;
import dev.ferry.protocol.Role;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the real {@link FerryCli} in-process with an injected environment and captured streams. */
final class Cli {

  static final String ADMIN_PASSWORD = "admin-pass-1";
  static final String ALICE_PASSWORD = "alice-pass-1";

  record Result(int exit, String out, String err) {
  }

  private Cli() {
  }

  /**
   * Alice logged in at {@code server} ({@code alice@host:port}) by the client's own classes,
   * trusting the certificate it shows; parallel lanes connect the same way.
   */
  static RemoteSession aliceSession(String server, Path config, boolean tls) throws Exception {
    Target target = Target.parseServer(server, "nobody");
    Connector connector = new Connector(new KnownServers(config.resolve("known_servers")), tls, false, new TrustPrompt() {
      @Override
      public boolean trustNewServer(String serverKey, String fingerprint) {
        return true;
      }

      @Override
      public void replacedCertificate(String serverKey, String recorded, String presented) {
      }
    });
    return RemoteSession.login(connector.connect(target), target, ALICE_PASSWORD, Role.USER, () -> connector.connect(target));
  }

  /** A server config for tests: TLS on (the default), 127.0.0.1, a port the OS picks, cheap hashing. */
  static JsonObject serverConfig(Path data) {
    return new JsonObject()
      .put("data", data.toString())
      .put("port", 0)
      .put("sftpPort", -1)
      .put("adminPassword", ADMIN_PASSWORD)
      .put("pbkdf2Iterations", 1000);
  }

  /** An environment with only what the CLI reads: no LANG (English), no USER. */
  static Map<String, String> env(Path configDir, String password) {
    Map<String, String> env = new HashMap<>();
    env.put(FerryCli.ENV_CONFIG_DIR, configDir.toString());
    if (password != null) {
      env.put(FerryCli.ENV_PASSWORD, password);
    }
    return env;
  }

  /**
   * Sets up {@code process} (a client in a JVM of its own) as {@link #env} does an in-process
   * one, in a UTF-8 locale without language variables, so it answers in English.
   */
  static ProcessBuilder inChildProcess(ProcessBuilder process, Path configDir, String password) {
    process.environment().putAll(env(configDir, password));
    process.environment().put("LANG", "C.UTF-8");
    process.environment().remove("LC_ALL");
    process.environment().remove("LC_MESSAGES");
    return process;
  }

  /** Runs with {@code stdin} as the standard input (a script, or a password line). */
  static Result piped(Map<String, String> env, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = new FerryCli(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
      new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Result run(Map<String, String> env, String... args) {
    return piped(env, "", args);
  }

  /** As {@link #run}, asserting that the command succeeded; the failure shows the command and its output. */
  static Result ok(Map<String, String> env, String... args) {
    Result r = run(env, args);
    assertThat(r.exit()).as(String.join(" ", args) + " -> " + r).isEqualTo(ExitCode.OK);
    return r;
  }

  /** Creates a user account through the CLI, as an operator would. */
  static void addUser(Path configDir, int port, String account, String password, String quota) {
    Result r = piped(env(configDir, ADMIN_PASSWORD), password + "\n", "--admin", "useradd", "admin@127.0.0.1:" + port, account, "user", quota);
    if (r.exit() != ExitCode.OK) {
      throw new IllegalStateException("useradd " + account + " failed: " + r);
    }
  }
}
