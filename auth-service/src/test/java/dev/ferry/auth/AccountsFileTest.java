package dev.ferry.auth;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.store.PrivateFiles;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class AccountsFileTest {

  private static final String HASH = "$pbkdf2$it=1000$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA";

  @TempDir
  Path dir;
  private Path file;
  private Context context;

  @BeforeEach
  void setUp(Vertx vertx) {
    file = dir.resolve("users.json");
    context = vertx.getOrCreateContext();
  }

  /** The store belongs to one event loop, as it does in the verticle. */
  private <T> Future<T> onContext(Supplier<Future<T>> operation) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> operation.get().onComplete(result));
    return result.future();
  }

  private static Account user(String name) {
    return new Account(name, Role.USER, HASH, false);
  }

  private Future<String> fileContent(Vertx vertx) {
    return vertx.fileSystem().readFile(file.toString()).map(Buffer::toString);
  }

  @Test
  void aMissingFileOpensEmptyAndTheFirstWriteCreatesIt(Vertx vertx, VertxTestContext ctx) {
    onContext(() -> AccountsFile.open(vertx, file)
      .compose(store -> {
        ctx.verify(() -> assertThat(store.existedOnOpen()).isFalse());
        return store.put(user("alice"));
      }))
      .compose(v -> fileContent(vertx))
      .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
        JsonObject saved = new JsonObject(text);
        assertThat(saved.getInteger("version")).isEqualTo(1);
        assertThat(saved.getJsonArray("accounts").getJsonObject(0).getMap())
          .containsEntry("account", "alice").containsEntry("role", "user")
          .containsEntry("hash", HASH).containsEntry("locked", false);
        // It holds password hashes: readable by the server's user only, from its creation on.
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PrivateFiles.FILE);
        ctx.completeNow();
      })));
  }

  @Test
  void writesAreSerialisedAndTheLastChangeAlwaysLands(Vertx vertx, VertxTestContext ctx) {
    onContext(() -> AccountsFile.open(vertx, file)
      .compose(store -> {
        // Fired without waiting: each must land, in order, and the last write must hold them all.
        for (int i = 0; i < 30; i++) {
          store.put(user("u" + i));
        }
        store.remove("u3");
        store.put(user("u5").withLocked(true));
        return store.put(user("last"));
      }))
      .compose(v -> fileContent(vertx))
      .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
        List<Object> accounts = new JsonObject(text).getJsonArray("accounts").getList();
        assertThat(accounts).hasSize(30);
        assertThat(text).contains("\"last\"").doesNotContain("\"u3\"");
        assertThat(new JsonObject(text).getJsonArray("accounts").stream()
          .map(JsonObject.class::cast)
          .filter(a -> a.getString("account").equals("u5"))
          .findFirst().orElseThrow().getBoolean("locked")).isTrue();
        ctx.completeNow();
      })));
  }

  @Test
  void aWriteThatCannotLandIsUndone(Vertx vertx, VertxTestContext ctx) throws IOException {
    // A plain file where the data directory should be: the store opens empty, the write fails.
    Path blocked = dir.resolve("blocked");
    Files.writeString(blocked, "not a directory");
    onContext(() -> AccountsFile.open(vertx, blocked.resolve("users.json"))
      .compose(store -> store.put(user("alice")).transform(ar -> Future.succeededFuture(List.of(ar.failed(),
        store.find("alice").isPresent())))))
      .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
        assertThat(outcome).containsExactly(true, false);
        ctx.completeNow();
      })));
  }

  @Test
  void aLeftoverTempFileIsIgnored(Vertx vertx, VertxTestContext ctx) throws IOException {
    Files.write(file, AccountsFile.serialize(List.of(user("alice"), user("bob"))));
    Files.writeString(dir.resolve("users.json.4242.17.tmp"), "{\"version\":1,\"accounts\":[{\"account\":\"eve");
    onContext(() -> AccountsFile.open(vertx, file))
      .onComplete(ctx.succeeding(store -> ctx.verify(() -> {
        assertThat(store.existedOnOpen()).isTrue();
        assertThat(store.list()).containsExactly(user("alice"), user("bob"));
        ctx.completeNow();
      })));
  }

  @Test
  void rejectsEveryKindOfUnreadableFile() {
    List<String> bad = List.of(
      "",
      "{\"version\":1,\"accounts\":[{\"account\":\"alice\"",
      "[]",
      "{\"version\":2,\"accounts\":[]}",
      "{\"version\":1}",
      "{\"version\":1,\"accounts\":[42]}",
      "{\"version\":1,\"accounts\":[{\"account\":\"Alice\",\"role\":\"user\",\"hash\":\"$x\"}]}",
      "{\"version\":1,\"accounts\":[{\"account\":\"alice\",\"role\":\"root\",\"hash\":\"$x\"}]}",
      "{\"version\":1,\"accounts\":[{\"account\":\"alice\",\"role\":\"user\"}]}",
      "{\"version\":1,\"accounts\":[{\"account\":\"a\",\"role\":\"user\",\"hash\":\"$x\"},"
        + "{\"account\":\"a\",\"role\":\"user\",\"hash\":\"$x\"}]}");
    for (String text : bad) {
      assertThatThrownBy(() -> AccountsFile.parse(file, text.getBytes(StandardCharsets.UTF_8)))
        .as(text)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot load accounts from")
        .hasMessageContaining("users.json");
    }
    assertThatThrownBy(() -> AccountsFile.parse(file, new byte[] {'{', (byte) 0xff, '}'}))
      .hasMessageContaining("not UTF-8");
  }
}
