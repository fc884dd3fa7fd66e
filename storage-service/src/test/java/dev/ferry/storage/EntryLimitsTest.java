package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.StorageApi;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static dev.ferry.storage.TransferFixture.failureOf;
import static dev.ferry.storage.TransferFixture.openWrite;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * maxEntriesPerAccount: directories and empty files are not free. Alice's home starts two entries
 * below her limit.
 */
class EntryLimitsTest extends DeployedStorage {

  /** The entries alice's home starts with. */
  private long present;

  private long limit() {
    return present + 2;
  }

  @Override
  JsonObject config() {
    try (JailedPath home = new HomeJail(files.toRealPath()).home("alice")) {
      present = EntryLedger.countUpTo(home, 10_000);
      return super.config().put("maxEntriesPerAccount", limit());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A whole upload of an empty file. */
  private Future<String> emptyUpload(Vertx vertx, String name, boolean overwrite) {
    return storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", name, new byte[0], overwrite))
      .compose(opened -> new TransferRequests(vertx, opened).finish(alice));
  }

  @Test
  void newEntriesPastTheLimitAreRefusedAndRemovingOneMakesRoom(Vertx vertx, VertxTestContext ctx) {
    storage.request(StorageApi.MKDIR, alice, path("/home/alice/one"))
      .compose(v -> emptyUpload(vertx, "empty.txt", false))
      .compose(v -> Future.join(
        failureOf(storage.request(StorageApi.MKDIR, alice, path("/home/alice/two"))),
        failureOf(storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", "more.txt", new byte[1], false))),
        failureOf(storage.request(StorageApi.MKDIR, alice, path("/home/bob/../alice/three"))),
        failureOf(storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/bob/../alice", "more.txt", new byte[1], false))),
        failureOf(storage.request(StorageApi.MKDIR, alice, path("/home/bob/x"))),
        failureOf(storage.request(StorageApi.MKDIR, bob, path("/home/bob/x"))))
        .map(all -> all.list()))
      .compose(refusals -> {
        ctx.verify(() -> assertThat(refusals).containsExactly(
          Failure.TOO_MANY_ENTRIES, Failure.TOO_MANY_ENTRIES, Failure.TOO_MANY_ENTRIES, Failure.TOO_MANY_ENTRIES,
          Failure.NO_PERMISSION, null));
        // An overwrite makes no new entry: allowed at the limit.
        return emptyUpload(vertx, "notes.txt", true);
      })
      .compose(v -> storage.request(StorageApi.RM, alice, path("/home/alice/one")))
      .compose(v -> storage.request(StorageApi.MKDIR, alice, path("/home/alice/two")))
      .onComplete(ctx.succeedingThenComplete());
  }

  /** A purged home (userdel) is counted anew: the account made again starts with its whole allowance. */
  @Test
  void aPurgedHomeStartsItsCountAgain(Vertx vertx, VertxTestContext ctx) {
    JsonObject account = new JsonObject().put(StorageApi.ACCOUNT, "alice");
    storage.request(StorageApi.MKDIR, alice, path("/home/alice/one"))
      .compose(v -> storage.request(StorageApi.MKDIR, alice, path("/home/alice/two")))
      .compose(v -> failureOf(storage.request(StorageApi.MKDIR, alice, path("/home/alice/three"))))
      .compose(refused -> {
        ctx.verify(() -> assertThat(refused).isEqualTo(Failure.TOO_MANY_ENTRIES));
        return storage.request(StorageApi.PURGE_HOME, admin, account);
      })
      .compose(v -> storage.request(StorageApi.CREATE_HOME, admin, account))
      .compose(v -> {
        Future<JsonObject> made = Future.succeededFuture();
        for (int i = 0; i < limit(); i++) {
          String name = "/home/alice/again" + i;
          made = made.compose(x -> storage.request(StorageApi.MKDIR, alice, path(name)));
        }
        return made;
      })
      .compose(v -> failureOf(storage.request(StorageApi.MKDIR, alice, path("/home/alice/past"))))
      .onComplete(ctx.succeeding(refused -> ctx.verify(() -> {
        assertThat(refused).isEqualTo(Failure.TOO_MANY_ENTRIES);
        ctx.completeNow();
      })));
  }

  /** An overwrite whose file is removed before it publishes makes a new entry: counted then. */
  @Test
  void anOverwriteOfARemovedFileCountsTheEntryItMakes(Vertx vertx, VertxTestContext ctx) {
    storage.request(StorageApi.MKDIR, alice, path("/home/alice/one"))
      .compose(v -> emptyUpload(vertx, "empty.txt", false))
      .compose(v -> storage.request(TransferApi.OPEN_WRITE, alice, openWrite("/home/alice", "notes.txt", new byte[0], true)))
      .compose(opened -> storage.request(StorageApi.RM, alice, path("/home/alice/notes.txt"))
        .compose(v -> new TransferRequests(vertx, opened).finish(alice)))
      .compose(v -> failureOf(storage.request(StorageApi.MKDIR, alice, path("/home/alice/two"))))
      .onComplete(ctx.succeeding(refused -> ctx.verify(() -> {
        assertThat(refused).as("the home is at its limit again").isEqualTo(Failure.TOO_MANY_ENTRIES);
        ctx.completeNow();
      })));
  }
}
