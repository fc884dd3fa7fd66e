package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each storage action through the real event bus with real session tokens, against a real tree
 * in a temp directory. The failure cases are in {@link StorageFailuresTest}.
 */
class StorageVerticleTest extends DeployedStorage {

  private static List<String> names(JsonObject listing) {
    return listing.getJsonArray(StorageApi.ENTRIES).stream().map(e -> ((JsonObject) e).getString(StorageApi.NAME)).toList();
  }

  @Test
  void listsDirectoriesFirstThenByNameAndHidesLinksThatLeadOut(VertxTestContext ctx) {
    storage.request(StorageApi.LIST, alice, path("/home/alice")).onComplete(ctx.succeeding(listing -> ctx.verify(() -> {
      // Hidden: every link (never followed), whether it leads out (etc, tobob, big, dangling) or not (inner).
      assertThat(names(listing)).containsExactly("Zeta", "alpha", "empty", "sub", "b.txt", "notes.txt");
      JsonArray entries = listing.getJsonArray(StorageApi.ENTRIES);
      assertThat(entries.getJsonObject(0)).isEqualTo(new JsonObject().put("name", "Zeta").put("type", "dir")
        .put("size", 0L).put("mtime", entries.getJsonObject(0).getLong("mtime")));
      assertThat(entries.getJsonObject(3).getString(StorageApi.TYPE)).isEqualTo(StorageApi.TYPE_DIR);
      assertThat(entries.getJsonObject(5)).isEqualTo(new JsonObject().put("name", "notes.txt").put("type", "file")
        .put("size", (long) StorageFixture.NOTES.length()).put("mtime", StorageFixture.NOTES_MTIME));
      ctx.completeNow();
    })));
  }

  @Test
  void listingAFileListsThatOneEntry(VertxTestContext ctx) {
    storage.request(StorageApi.LIST, alice, path("/home/alice/sub/../notes.txt")).onComplete(ctx.succeeding(listing -> ctx.verify(() -> {
      assertThat(listing).isEqualTo(new JsonObject().put(StorageApi.ENTRIES, new JsonArray().add(new JsonObject()
        .put("name", "notes.txt").put("type", "file").put("size", (long) StorageFixture.NOTES.length()).put("mtime", StorageFixture.NOTES_MTIME))));
      ctx.completeNow();
    })));
  }

  @Test
  void adminSeesTheWholeTreeButNeverPartialUploads(Vertx vertx, VertxTestContext ctx) {
    storage.request(StorageApi.LIST, admin, path("/"))
      .compose(root -> storage.request(StorageApi.LIST, admin, path("/home"))
        .map(homes -> List.of(names(root), names(homes))))
      .compose(listings -> vertx.fileSystem().exists(data.resolve(StorageOptions.PARTIAL_DIR).toString())
        .map(partialExists -> {
          ctx.verify(() -> {
            assertThat(partialExists).isTrue();
            assertThat(listings.get(0)).containsExactly("home");
            assertThat(listings.get(1)).containsExactly("alice", "bob");
          });
          return null;
        }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void statDescribesFilesAndDirectories(VertxTestContext ctx) {
    Future.all(storage.request(StorageApi.STAT, alice, path("/home/alice/notes.txt")),
        storage.request(StorageApi.STAT, alice, path("/home/alice/sub")),
        storage.request(StorageApi.STAT, alice, path("/home/alice")))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(all.<JsonObject>resultAt(0)).isEqualTo(new JsonObject().put("type", "file")
          .put("size", (long) StorageFixture.NOTES.length()).put("mtime", StorageFixture.NOTES_MTIME));
        assertThat(all.<JsonObject>resultAt(1).getString(StorageApi.TYPE)).isEqualTo(StorageApi.TYPE_DIR);
        assertThat(all.<JsonObject>resultAt(2).fieldNames()).containsExactlyInAnyOrder("type", "size", "mtime");
        assertThat(all.<JsonObject>resultAt(2).getLong(StorageApi.SIZE)).isZero();
        ctx.completeNow();
      })));
  }

  @Test
  void mkdirCreatesADirectory(VertxTestContext ctx) {
    storage.request(StorageApi.MKDIR, alice, path("/home/alice/sub/new dir"))
      .compose(done -> storage.request(StorageApi.STAT, alice, path("/home/alice/sub/new dir")).map(stat -> {
        ctx.verify(() -> {
          assertThat(done).isEqualTo(new JsonObject());
          assertThat(stat.getString(StorageApi.TYPE)).isEqualTo(StorageApi.TYPE_DIR);
        });
        return stat;
      }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void rmRemovesAFileAndAnswersTheBytesFreed(Vertx vertx, VertxTestContext ctx) {
    storage.request(StorageApi.RM, alice, path("/home/alice/notes.txt"))
      .compose(freed -> storage.request(StorageApi.RM, alice, path("/home/alice/empty")).map(freedDir -> List.of(freed, freedDir)))
      .compose(replies -> Future.all(vertx.fileSystem().exists(files.resolve("home/alice/notes.txt").toString()),
          vertx.fileSystem().exists(files.resolve("home/alice/empty").toString()))
        .map(exists -> {
          ctx.verify(() -> {
            assertThat(replies.get(0)).isEqualTo(new JsonObject().put(StorageApi.SIZE, (long) StorageFixture.NOTES.length()));
            assertThat(replies.get(1)).isEqualTo(new JsonObject().put(StorageApi.SIZE, 0L));
            assertThat(exists.<Boolean>resultAt(0)).isFalse();
            assertThat(exists.<Boolean>resultAt(1)).isFalse();
          });
          return null;
        }))
      .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void rmOfALinkIsRefusedAndLeavesLinkAndTarget(Vertx vertx, VertxTestContext ctx) {
    TransferFixture.failureOf(storage.request(StorageApi.RM, alice, path("/home/alice/inner")))
      .onComplete(ctx.succeeding(failure -> ctx.verify(() -> {
        assertThat(failure).isEqualTo(Failure.NO_PERMISSION);
        assertThat(files.resolve("home/alice/inner")).isSymbolicLink();
        assertThat(files.resolve("home/alice/sub/deep.txt")).exists();
        ctx.completeNow();
      })));
  }

  @Test
  void renameMovesFilesAndDirectories(Vertx vertx, VertxTestContext ctx) {
    storage.request(StorageApi.RENAME, alice, move("/home/alice/notes.txt", "/home/alice/alpha/renamed.txt"))
      .compose(v -> storage.request(StorageApi.RENAME, alice, move("/home/alice/sub", "/home/alice/Zeta/moved")))
      .compose(v -> Future.all(vertx.fileSystem().readFile(files.resolve("home/alice/alpha/renamed.txt").toString()),
        vertx.fileSystem().readFile(files.resolve("home/alice/Zeta/moved/deep.txt").toString()),
        vertx.fileSystem().exists(files.resolve("home/alice/notes.txt").toString())))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(all.resultAt(0).toString()).isEqualTo(StorageFixture.NOTES);
        assertThat(all.resultAt(1).toString()).isEqualTo(StorageFixture.DEEP);
        assertThat(all.<Boolean>resultAt(2)).isFalse();
        ctx.completeNow();
      })));
  }

  @Test
  void renameNeverReplacesAnExistingFile(Vertx vertx, VertxTestContext ctx) {
    storage.request(StorageApi.RENAME, alice, move("/home/alice/notes.txt", "/home/alice/b.txt"))
      .transform(renamed -> {
        ctx.verify(() -> assertThat(renamed.failed() ? Failure.of(renamed.cause()) : null).isEqualTo(Failure.ALREADY_EXISTS));
        return Future.all(vertx.fileSystem().readFile(files.resolve("home/alice/notes.txt").toString()),
        vertx.fileSystem().readFile(files.resolve("home/alice/b.txt").toString()));
      })
      .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
        assertThat(both.resultAt(0).toString()).isEqualTo(StorageFixture.NOTES);
        assertThat(both.resultAt(1).toString()).isEqualTo(StorageFixture.B);
        ctx.completeNow();
      })));
  }

  @Test
  void checksumIsTheStreamedSha256(VertxTestContext ctx) throws Exception {
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
      .digest(StorageFixture.NOTES.getBytes(StandardCharsets.UTF_8)));
    Future.all(storage.request(StorageApi.CHECKSUM, alice, path("/home/alice/notes.txt")),
        storage.request(StorageApi.CHECKSUM, alice, path("/home/alice/alpha/empty.bin")))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(all.<JsonObject>resultAt(0)).isEqualTo(new JsonObject()
          .put(StorageApi.SIZE, (long) StorageFixture.NOTES.length()).put(StorageApi.SHA256, expected));
        assertThat(all.<JsonObject>resultAt(1)).isEqualTo(new JsonObject().put(StorageApi.SIZE, 0L)
          .put(StorageApi.SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        ctx.completeNow();
      })));
  }

  @Test
  void adminCreatesHomesIdempotently(VertxTestContext ctx) {
    storage.request(StorageApi.CREATE_HOME, admin, account("carol"))
      .compose(v -> storage.request(StorageApi.CREATE_HOME, admin, account("carol")))
      .compose(v -> storage.request(StorageApi.LIST, admin, path("/home")))
      .onComplete(ctx.succeeding(homes -> ctx.verify(() -> {
        assertThat(names(homes)).containsExactly("alice", "bob", "carol");
        ctx.completeNow();
      })));
  }

  @Test
  void purgeDeletesTheHomeButNeverWhatItsLinksPointTo(Vertx vertx, VertxTestContext ctx) {
    storage.request(StorageApi.PURGE_HOME, admin, account("bob"))
      .compose(v -> storage.request(StorageApi.PURGE_HOME, admin, account("bob")))
      .compose(v -> Future.all(vertx.fileSystem().exists(files.resolve("home/bob").toString()),
        vertx.fileSystem().exists(outside.resolve("loot.txt").toString()),
        vertx.fileSystem().exists(files.resolve("home/alice/notes.txt").toString())))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(all.<Boolean>resultAt(0)).as("bob's home").isFalse();
        assertThat(all.<Boolean>resultAt(1)).as("the target of bob's link").isTrue();
        assertThat(all.<Boolean>resultAt(2)).as("alice's files").isTrue();
        ctx.completeNow();
      })));
  }

  @Test
  void usageCountsRegularFilesWithoutFollowingLinks(VertxTestContext ctx) {
    long aliceBytes = StorageFixture.NOTES.length() + StorageFixture.B.length() + StorageFixture.DEEP.length();
    Future.all(storage.request(StorageApi.USAGE, alice, account("alice")),
        storage.request(StorageApi.USAGE, admin, account("alice")),
        storage.request(StorageApi.USAGE, admin, account("carol")))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(all.<JsonObject>resultAt(0)).isEqualTo(new JsonObject().put(StorageApi.BYTES, aliceBytes));
        assertThat(all.<JsonObject>resultAt(1)).isEqualTo(new JsonObject().put(StorageApi.BYTES, aliceBytes));
        assertThat(all.<JsonObject>resultAt(2)).as("no home yet").isEqualTo(new JsonObject().put(StorageApi.BYTES, 0L));
        ctx.completeNow();
      })));
  }
}
