package dev.ferry.storage;

import dev.ferry.auth.TestTokens;
import dev.ferry.protocol.AccountName;
import dev.ferry.protocol.bus.StorageTokens;
import dev.ferry.protocol.store.PrivateFiles;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * storage-service's own key pair on the data volume ({@link StorageTokens}): made by the first
 * node to start, private to the server's user, kept across restarts, one pair for every node.
 */
@ExtendWith(VertxExtension.class)
class StorageKeysTest {

  @TempDir
  Path data;

  private Future<String> deploy(Vertx vertx) {
    return vertx.deployVerticle(new StorageVerticle(),
      new DeploymentOptions().setConfig(TestTokens.put(new JsonObject().put("data", data.toString()))));
  }

  private String read(Path file) throws Exception {
    return Files.readString(file);
  }

  @Test
  void theFirstStartMakesAPrivatePairThatRestartsKeep(Vertx vertx, VertxTestContext ctx) {
    Path privateFile = StorageTokens.privateKeyFile(data);
    Path publicFile = StorageTokens.publicKeyFile(data);
    deploy(vertx)
      .compose(id -> vertx.executeBlocking(() -> List.of(read(privateFile), read(publicFile)), false)
        .compose(first -> vertx.undeploy(id).compose(v -> deploy(vertx))
          .compose(again -> vertx.executeBlocking(() -> {
            ctx.verify(() -> {
              assertThat(Files.getPosixFilePermissions(privateFile)).isEqualTo(PrivateFiles.FILE);
              assertThat(Files.getPosixFilePermissions(privateFile.getParent())).isEqualTo(PrivateFiles.DIRECTORY);
              assertThat(first.get(0)).contains("BEGIN PRIVATE KEY");
              assertThat(first.get(1)).contains("BEGIN PUBLIC KEY").doesNotContain("PRIVATE");
              assertThat(List.of(read(privateFile), read(publicFile))).as("the pair after a restart").isEqualTo(first);
              assertThat(StorageTokens.readPublicKey(data)).isEqualTo(first.get(1));
              try (var listing = Files.list(privateFile.getParent())) {
                assertThat(listing.map(p -> p.getFileName().toString()))
                  .as("no temp file left").containsExactlyInAnyOrder(StorageTokens.PRIVATE_FILE, StorageTokens.PUBLIC_FILE);
              }
            });
            return first;
          }, false))))
      .compose(first -> vertx.executeBlocking(() -> StorageTokens.loadOrCreate(data), false)
        .compose(pair -> new StorageTokens.Verifier(vertx, first.get(1))
          .verify(new StorageTokens.Signer(vertx, pair[0], pair[1]).token())))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void nodesStartingAtOnceAgreeOnOnePair(Vertx vertx, VertxTestContext ctx) {
    Vertx otherNode = Vertx.vertx();
    Future.all(deploy(vertx), deploy(otherNode))
      .compose(both -> vertx.executeBlocking(() -> {
        ctx.verify(() -> assertThat(read(StorageTokens.publicKeyFile(data))).contains("BEGIN PUBLIC KEY"));
        return null;
      }, false))
      .eventually(() -> otherNode.close())
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void manyCreatorsAtOnceAllGetTheOnePairOnDisk() throws Exception {
    int racers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<java.util.concurrent.Future<String>> results = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        Callable<String> race = () -> {
          start.await();
          String[] pair = StorageTokens.loadOrCreate(data);
          return pair[0] + pair[1];
        };
        results.add(pool.submit(race));
      }
      start.countDown();
      Set<String> seen = results.stream().map(f -> {
        try {
          return f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }).collect(Collectors.toSet());
      assertThat(seen).hasSize(1);
      assertThat(seen.iterator().next()).isEqualTo(read(StorageTokens.privateKeyFile(data)));
      assertThat(seen.iterator().next()).endsWith(read(StorageTokens.publicKeyFile(data)));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void noAccountCanBeTheStoragePrincipal() {
    assertThat(AccountName.isValid(StorageTokens.SUBJECT)).isFalse();
  }
}
