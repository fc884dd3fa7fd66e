package dev.ferry.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the command does before it ever connects: help, version, and usage errors. */
class FerryCliUsageTest {

  @TempDir
  Path config;

  private Map<String, String> env() {
    return Cli.env(config, "unused-password");
  }

  @Test
  void helpShowsTheShapeOptionsAndCommands() {
    Cli.Result r = Cli.run(env(), "--help");
    assertThat(r.exit()).isEqualTo(ExitCode.OK);
    assertThat(r.out())
      .contains("ferry [OPTIONS] [USER@]HOST[:PORT]", "--admin", "--no-tls", "--accept-new-certificate", "--lang")
      .contains("mkdir PATH", "quota [ACCOUNT]", "FERRY_PASSWORD", "Exit codes: 0 done, 1 the server refused, 2 usage error, 3");
    assertThat(r.out()).doesNotContainPattern("(?m)^\\s+(get|put)\\b");
    assertThat(Cli.run(env(), "-h").out()).isEqualTo(r.out());
  }

  @Test
  void helpFollowsTheLanguage() {
    Cli.Result zh = Cli.run(env(), "--lang", "zh", "--help");
    assertThat(zh.out()).contains("用法：", "mkdir 路径", "退出码");
    Map<String, String> chinese = env();
    chinese.put("LANG", "zh_CN.UTF-8");
    assertThat(Cli.run(chinese, "-h").out()).isEqualTo(zh.out());
    assertThat(Cli.run(chinese, "--lang=en", "-h").out()).contains("Usage:");
  }

  @Test
  void version() {
    Cli.Result r = Cli.run(env(), "-V");
    assertThat(r.exit()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).startsWith("ferry ").contains("(protocol FERRY*1)");
  }

  @Test
  void usageErrorsExitWithTwo() {
    Cli.Result none = Cli.run(env());
    assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(none.err()).contains("missing server").contains("ferry --help");

    Cli.Result badOption = Cli.run(env(), "--bogus", "host");
    assertThat(badOption.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(badOption.err()).contains("--bogus");

    Cli.Result badTarget = Cli.run(env(), "alice@host:99999");
    assertThat(badTarget.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(badTarget.err()).contains("bad port");

    Cli.Result noServer = Cli.run(env(), "ls");
    assertThat(noServer.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(noServer.err()).contains("ls needs [USER@]HOST[:PORT]");

    Cli.Result shellOnly = Cli.run(env(), "exit", "host");
    assertThat(shellOnly.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(shellOnly.err()).contains("only works in the interactive shell");

    Cli.Result tooMany = Cli.run(env(), "pwd", "alice@host", "extra");
    assertThat(tooMany.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(tooMany.err()).contains("usage: pwd");

    Cli.Result badSize = Cli.run(env(), "setquota", "admin@host", "bob", "lots");
    assertThat(badSize.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(badSize.err()).contains("not a size: lots");
  }

  @Test
  void helpCommandNeedsNoServer() {
    Cli.Result all = Cli.run(env(), "help");
    assertThat(all.exit()).isEqualTo(ExitCode.OK);
    assertThat(all.out()).contains("ls [PATH]", "(also: view)", "exit", "(also: quit, logout)");

    Cli.Result one = Cli.run(env(), "help", "rename");
    assertThat(one.out()).isEqualTo("  mv FROM TO  move or rename a file or directory (also: rename)\n");
  }
}
