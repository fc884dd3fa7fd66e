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
      .contains("mkdir PATH", "quota [ACCOUNT]", "recount ACCOUNT", "FERRY_PASSWORD", "Exit codes: 0 done, 1 the server refused, 2 usage error, 3");
    assertThat(r.out())
      .contains("get [-rq] [-j N] REMOTE... [LOCAL]", "put [-rfq] [-j N] LOCAL... [REMOTE_DIR]", "--retries N")
      .contains("-j N (--jobs N, 1 to 16, default 4)")
      .contains("130 interrupted");
    assertThat(Cli.run(env(), "-h").out()).isEqualTo(r.out());
  }

  @Test
  void helpFollowsTheLanguage() {
    Cli.Result zh = Cli.run(env(), "--lang", "zh", "--help");
    assertThat(zh.out()).contains("用法：", "mkdir 路径", "退出码", "recount 账户", "按磁盘上的文件重新统计账户的用量");
    Map<String, String> chinese = env();
    chinese.put("LANG", "zh_CN.UTF-8");
    assertThat(Cli.run(chinese, "-h").out()).isEqualTo(zh.out());
    assertThat(Cli.run(chinese, "--lang=en", "-h").out()).contains("Usage:");
  }

  @Test
  void version() {
    Cli.Result r = Cli.run(env(), "-V");
    assertThat(r.exit()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).startsWith("ferry ").contains("(protocol FERRY*1)").contains("\nTLS: ").contains("; SHA-256: ");
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
  void transferUsageErrorsAreCaughtBeforeConnecting() {
    Cli.Result noServer = Cli.run(env(), "put", "./a.bin");
    assertThat(noServer.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(noServer.err()).contains("put needs [USER@]HOST[:PORT][:DIR] as its last argument");
    assertThat(Cli.run(env(), "put").err()).contains("put needs [USER@]HOST[:PORT][:DIR] as its last argument");

    Cli.Result badOption = Cli.run(env(), "get", "-x", "alice@host:a.bin");
    assertThat(badOption.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(badOption.err()).contains("unknown option: -x");

    Cli.Result forceOnGet = Cli.run(env(), "get", "-f", "alice@host:a.bin");
    assertThat(forceOnGet.exit()).isEqualTo(ExitCode.USAGE);

    Cli.Result retries = Cli.run(env(), "put", "--retries", "lots", "a", "alice@host");
    assertThat(retries.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(retries.err()).contains("--retries takes a number from 0 to 100, not lots");

    Cli.Result jobs = Cli.run(env(), "get", "-r", "-j", "17", "alice@host:docs");
    assertThat(jobs.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(jobs.err()).contains("-j (--jobs) takes a number from 1 to 16, not 17");

    Cli.Result twoLocals = Cli.run(env(), "get", "alice@host:a", "x", "y");
    assertThat(twoLocals.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(twoLocals.err()).contains("only one local destination");

    Cli.Result star = Cli.run(env(), "put", "a", "alice@host:/x*y");
    assertThat(star.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(star.err()).contains("a path cannot contain *: /x*y");
    assertThat(config.resolve("known_servers")).doesNotExist();
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
