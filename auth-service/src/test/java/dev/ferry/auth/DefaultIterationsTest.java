package dev.ferry.auth;

import dev.ferry.protocol.bus.BusClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The production setting, 210000 PBKDF2 iterations, end to end (the other tests lower it for speed). */
@ExtendWith(VertxExtension.class)
class DefaultIterationsTest {

  @TempDir
  Path dataDir;

  @Test
  void storesAndVerifiesHashesWith210000Iterations(Vertx vertx, VertxTestContext ctx) {
    JsonObject config = AuthFixture.config(dataDir);
    config.remove("pbkdf2Iterations");
    BusClient auth = AuthFixture.client(vertx);
    AuthFixture.deploy(vertx, new AuthVerticle(), config)
      .compose(id -> AuthFixture.code(auth, "admin", AuthFixture.ADMIN_PASSWORD, "admin"))
      .compose(code -> {
        ctx.verify(() -> assertThat(code).isEqualTo("1"));
        return vertx.fileSystem().readFile(dataDir.resolve("users.json").toString()).map(Buffer::toString);
      })
      .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
        assertThat(AuthOptions.DEFAULT_PBKDF2_ITERATIONS).isEqualTo(210_000);
        assertThat(text).contains("\"$pbkdf2$it=210000$").doesNotContain(AuthFixture.ADMIN_PASSWORD);
        ctx.completeNow();
      })));
  }
}
