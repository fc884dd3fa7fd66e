package dev.ferry.auth;

import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ferry.auth.AuthFixture.ADMIN_PASSWORD;
import static dev.ferry.auth.AuthFixture.addUser;
import static dev.ferry.auth.AuthFixture.adminToken;
import static dev.ferry.auth.AuthFixture.code;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class PersistenceTest {

  private static final Pattern GENERATED = Pattern.compile(
    "ferry: created account admin with password ([A-Za-z0-9]{24}) \\(shown once; change it with passwd\\)\\R");

  @TempDir
  Path dataDir;

  private Path usersFile() {
    return dataDir.resolve("users.json");
  }

  private Future<String> usersJson(Vertx vertx) {
    return vertx.fileSystem().readFile(usersFile().toString()).map(Buffer::toString);
  }

  private static PrintStream capture(ByteArrayOutputStream out) {
    return new PrintStream(out, true, StandardCharsets.UTF_8);
  }

  @Test
  void usersJsonHoldsSelfDescribingHashesAndNoPassword(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    AuthFixture.deploy(vertx, dataDir)
      .compose(id -> adminToken(auth))
      .compose(admin -> addUser(auth, admin, "bob", "bob-password"))
      .compose(added -> usersJson(vertx))
      .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
        assertThat(text).doesNotContain("bob-password").doesNotContain(ADMIN_PASSWORD);
        JsonObject saved = new JsonObject(text);
        assertThat(saved.getInteger("version")).isEqualTo(1);
        assertThat(saved.getJsonArray("accounts")).hasSize(2);
        saved.getJsonArray("accounts").forEach(a -> assertThat(((JsonObject) a).getString("hash"))
          .startsWith("$pbkdf2$it=" + AuthFixture.FAST_ITERATIONS + "$"));
        ctx.completeNow();
      })));
  }

  @Test
  void aRestartKeepsAccountsPasswordsAndLocks(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    JsonObject laterConfig = AuthFixture.config(dataDir).put("adminPassword", "ignored-after-first-start");
    AuthFixture.deploy(vertx, dataDir)
      .compose(id -> adminToken(auth)
        .compose(admin -> addUser(auth, admin, "bob", "bob-password")
          .compose(v -> addUser(auth, admin, "carol", "carol-password"))
          .compose(v -> auth.request(AuthApi.PASSWD, admin, new JsonObject().put(AuthApi.ACCOUNT, "bob")
            .put(AuthApi.PASSWORD, "bob-new-password")))
          .compose(v -> auth.request(AuthApi.LOCK, admin, new JsonObject().put(AuthApi.ACCOUNT, "carol"))))
        .compose(v -> vertx.undeploy(id)))
      .compose(v -> AuthFixture.deploy(vertx, new AuthVerticle(), laterConfig))
      .compose(id -> Future.all(List.of(
        code(auth, "bob", "bob-new-password", "user"),
        code(auth, "carol", "carol-password", "user"),
        code(auth, "admin", ADMIN_PASSWORD, "admin"),
        code(auth, "admin", "ignored-after-first-start", "admin"))))
      .onComplete(ctx.succeeding(codes -> ctx.verify(() -> {
        assertThat(codes.<String>list()).containsExactly("1", "9", "1", "2");
        ctx.completeNow();
      })));
  }

  @Test
  void aTempFileLeftByACrashNeitherCorruptsNorBlocksLoading(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    String[] before = new String[1];
    AuthFixture.deploy(vertx, dataDir)
      .compose(id -> adminToken(auth)
        .compose(admin -> addUser(auth, admin, "bob", "bob-password"))
        .compose(v -> vertx.undeploy(id)))
      .compose(v -> usersJson(vertx))
      .compose(text -> {
        before[0] = text;
        // What a crash in the middle of AtomicFile.write leaves: a half-written temp file.
        String halfWritten = text.substring(0, text.length() / 2);
        return vertx.fileSystem().writeFile(dataDir.resolve("users.json.999999.1.tmp").toString(),
            Buffer.buffer(halfWritten))
          .compose(w -> vertx.fileSystem().writeFile(dataDir.resolve("users.json.999999.2.tmp").toString(),
            Buffer.buffer("{\"version\":1,\"accounts\":[]}")));
      })
      .compose(v -> AuthFixture.deploy(vertx, dataDir))
      .compose(id -> Future.all(code(auth, "bob", "bob-password", "user"), code(auth, "admin", ADMIN_PASSWORD, "admin")))
      .compose(codes -> {
        ctx.verify(() -> assertThat(List.of(codes.resultAt(0), codes.resultAt(1))).containsExactly("1", "1"));
        return usersJson(vertx);
      })
      .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
        assertThat(after).isEqualTo(before[0]);
        ctx.completeNow();
      })));
  }

  @Test
  void anUnparseableUsersJsonFailsStartAndIsNeverOverwritten(Vertx vertx, VertxTestContext ctx) throws IOException {
    Files.createDirectories(dataDir);
    Files.writeString(usersFile(), "{\"version\":1,\"accounts\":[{\"acc");
    AuthFixture.deploy(vertx, dataDir)
      .onComplete(ctx.failing(e -> {
        ctx.verify(() -> assertThat(e).hasMessageContaining("cannot load accounts from")
          .hasMessageContaining(usersFile().toAbsolutePath().toString()));
        usersJson(vertx).onComplete(ctx.succeeding(text -> ctx.verify(() -> {
          assertThat(text).isEqualTo("{\"version\":1,\"accounts\":[{\"acc");
          ctx.completeNow();
        })));
      }));
  }

  @Test
  void aGeneratedAdminPasswordIsPrintedOnceAndWorks(Vertx vertx, VertxTestContext ctx) {
    BusClient auth = AuthFixture.client(vertx);
    JsonObject config = AuthFixture.config(dataDir);
    config.remove("adminPassword");
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    AuthFixture.deploy(vertx, new AuthVerticle(System::currentTimeMillis, capture(first)), config)
      .compose(id -> {
        Matcher printed = GENERATED.matcher(first.toString(StandardCharsets.UTF_8));
        ctx.verify(() -> assertThat(printed.matches()).as(first.toString(StandardCharsets.UTF_8)).isTrue());
        return code(auth, "admin", printed.group(1), "admin").compose(c -> vertx.undeploy(id).map(c));
      })
      .compose(c -> {
        ctx.verify(() -> assertThat(c).isEqualTo("1"));
        return AuthFixture.deploy(vertx, new AuthVerticle(System::currentTimeMillis, capture(second)), config);
      })
      .onComplete(ctx.succeeding(id -> ctx.verify(() -> {
        assertThat(second.toString(StandardCharsets.UTF_8)).isEmpty();
        ctx.completeNow();
      })));
  }

  @Test
  void aShortAdminPasswordFailsStartWithoutCreatingAnything(Vertx vertx, VertxTestContext ctx) {
    AuthFixture.deploy(vertx, new AuthVerticle(), AuthFixture.config(dataDir).put("adminPassword", "short"))
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(e).hasMessageContaining("adminPassword").hasMessageContaining("8").hasMessageNotContaining("short");
        assertThat(usersFile()).doesNotExist();
        ctx.completeNow();
      })));
  }

  @Test
  void aMissingPrivateKeyFailsStart(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = AuthFixture.config(dataDir);
    config.remove(TokenSigner.PRIVATE_KEY_CONFIG);
    AuthFixture.deploy(vertx, new AuthVerticle(), config)
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(e).hasMessageContaining("tokenPrivateKeyPath");
        ctx.completeNow();
      })));
  }

  @Test
  void aPasswordFileIsReadOnTheFirstStartOnlySoItCanBeDeletedAfterwards(Vertx vertx, VertxTestContext ctx) throws IOException {
    BusClient auth = AuthFixture.client(vertx);
    Path file = Files.writeString(dataDir.resolveSibling(dataDir.getFileName() + "-admin-password"), "from-a-file-1\n");
    JsonObject config = AuthFixture.config(dataDir).put("adminPasswordPath", file.toString());
    config.remove("adminPassword");
    AuthFixture.deploy(vertx, new AuthVerticle(), config)
      .compose(id -> code(auth, "admin", "from-a-file-1", "admin").compose(c -> vertx.undeploy(id).map(c)))
      .compose(c -> {
        ctx.verify(() -> assertThat(c).isEqualTo("1"));
        return vertx.fileSystem().delete(file.toString());
      })
      .compose(v -> AuthFixture.deploy(vertx, new AuthVerticle(), config))
      .compose(id -> code(auth, "admin", "from-a-file-1", "admin"))
      .onComplete(ctx.succeeding(c -> ctx.verify(() -> {
        assertThat(c).isEqualTo("1");
        assertThat(Files.readString(usersFile())).doesNotContain("from-a-file-1");
        ctx.completeNow();
      })));
  }

  @Test
  void aMissingPasswordFileFailsTheFirstStart(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = AuthFixture.config(dataDir).put("adminPasswordPath", dataDir.resolve("no-such-file").toString());
    config.remove("adminPassword");
    AuthFixture.deploy(vertx, new AuthVerticle(), config)
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(e).hasMessageContaining("adminPasswordPath");
        assertThat(usersFile()).doesNotExist();
        ctx.completeNow();
      })));
  }

  @Test
  void aSecondAuthServiceOnTheSameDataDirectoryIsRefused(Vertx vertx, VertxTestContext ctx) {
    AuthFixture.deploy(vertx, dataDir)
      .compose(first -> AuthFixture.deploy(vertx, dataDir).transform(second -> Future.succeededFuture(second)))
      .onComplete(ctx.succeeding(second -> ctx.verify(() -> {
        assertThat(second.failed()).isTrue();
        assertThat(second.cause()).hasMessageContaining("another auth service");
        ctx.completeNow();
      })));
  }
}
