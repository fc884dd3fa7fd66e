package dev.ferry.client;

import dev.ferry.client.command.CommandContext;
import dev.ferry.client.command.CommandTable;
import dev.ferry.client.command.RemoteSession;
import dev.ferry.client.transfer.GetCommand;
import dev.ferry.client.transfer.TransferInterruptedException;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.ferry.client.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C during {@code get -r -j 4}: every lane stops, the command ends interrupted, and the
 * same command run again completes the tree. One lane's connection is held still by a relay
 * while the key is pressed, so the transfer is surely running then.
 */
class ParallelCancelTest {

  @RegisterExtension
  static final RunningServer server = RunningServer.withAlice("1G");
  @RegisterExtension
  static final CuttingProxy proxy = CuttingProxy.inFrontOf(server);

  @TempDir
  Path config;
  @TempDir
  Path work;

  /** A prompter from a pipe whose Ctrl-C the test presses. */
  private static final class Keys implements Prompter {
    private volatile Runnable handler;

    @Override
    public boolean interactive() {
      return false;
    }

    @Override
    public String readLine(String prompt) {
      return null;
    }

    @Override
    public String readSecret(String prompt) {
      return null;
    }

    @Override
    public Registration onInterrupt(Runnable onCtrlC) {
      handler = onCtrlC;
      return () -> handler = null;
    }

    void ctrlC() {
      handler.run();
    }
  }

  private RemoteSession session() throws Exception {
    return Cli.aliceSession("alice@127.0.0.1:" + proxy.port(), config, true);
  }

  @Test
  void ctrlCStopsEveryLaneAndTheSameCommandCompletesTheTree() throws Exception {
    Path tree = work.resolve("tree");
    for (int i = 0; i < 12; i++) {
      TestFiles.random(tree.resolve("f-" + i + ".bin"), 2L * MIB + i, i);
    }
    Cli.Result put = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "put", "-q", "-r", tree.toString(),
      "alice@127.0.0.1:" + server.port());
    assertThat(put.exit()).as(put.toString()).isEqualTo(ExitCode.OK);

    CountDownLatch held = new CountDownLatch(1);
    Promise<Void> release = Promise.promise();
    proxy.holdOnce(CuttingProxy.Direction.TO_CLIENT, MIB, () -> {
      held.countDown();
      return release.future();
    });
    Keys keys = new Keys();
    Path copy = Files.createDirectories(work.resolve("copy"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    try (RemoteSession session = session()) {
      CommandContext context = new CommandContext(session, keys, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Messages.forLocale(Locale.ENGLISH), CommandTable.standard());
      Thread command = new Thread(() -> {
        try {
          GetCommand.command().action().run(context, List.of("-r", "-q", "-j", "4", "tree", copy.toString()));
          ended.complete(null);
        } catch (Throwable e) {
          ended.complete(e);
        }
      });
      command.start();
      assertThat(held.await(60, TimeUnit.SECONDS)).as("a lane's connection held mid-file").isTrue();
      keys.ctrlC();
      release.complete();
      Throwable outcome = ended.get(60, TimeUnit.SECONDS);
      assertThat(outcome).as(err.toString(StandardCharsets.UTF_8)).isInstanceOf(TransferInterruptedException.class);
    }
    assertThat(TestFiles.tree(copy.resolve("tree"))).as("not every file came").isNotEqualTo(TestFiles.tree(tree));

    Cli.Result again = Cli.run(Cli.env(config, Cli.ALICE_PASSWORD), "get", "-q", "-r", "-j", "4",
      "alice@127.0.0.1:" + server.port() + ":tree", copy.toString());
    assertThat(again.exit()).as(again.toString()).isEqualTo(ExitCode.OK);
    assertThat(TestFiles.tree(copy.resolve("tree"))).isEqualTo(TestFiles.tree(tree));
  }
}
