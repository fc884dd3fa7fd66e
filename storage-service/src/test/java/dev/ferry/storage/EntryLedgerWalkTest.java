package dev.ferry.storage;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Principal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A walk whose node died leaves its mark in the counter: once it stands still long enough, the home is counted anew. */
class EntryLedgerWalkTest {

  private static final Principal ALICE = new Principal("alice", Role.USER);

  @TempDir
  Path root;
  private Vertx vertx;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Files.createDirectories(root.resolve("home/alice/a/b"));
    Files.writeString(root.resolve("home/alice/a/notes.txt"), "x");
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void aMarkThatStandsStillIsAWalkWhoseNodeIsGone() throws Exception {
    Counter counter = vertx.sharedData().getCounter(EntryLedger.PREFIX + "alice").await(30, TimeUnit.SECONDS);
    assertThat(counter.compareAndSet(0, -7).await(30, TimeUnit.SECONDS)).as("a walk of a node that died, its mark left behind").isTrue();
    EntryLedger ledger = new EntryLedger(vertx, new HomeJail(root.toRealPath()), 10, TimeUnit.MILLISECONDS.toNanos(300));
    long began = System.nanoTime();
    String made = vertx.<String>executeBlocking(() -> "on a context", false)
      .compose(v -> ledger.withEntry(ALICE, "/home/alice/c", entry -> {
        entry.claim();
        return Future.succeededFuture("granted");
      })).await(30, TimeUnit.SECONDS);
    assertThat(made).isEqualTo("granted");
    assertThat(System.nanoTime() - began).as("waited for the mark to stand still").isGreaterThan(TimeUnit.MILLISECONDS.toNanos(300));
    // Counted anew: a, a/b and a/notes.txt, plus the entry just claimed, plus one.
    assertThat(counter.get().await(30, TimeUnit.SECONDS)).isEqualTo(5);
  }
}
