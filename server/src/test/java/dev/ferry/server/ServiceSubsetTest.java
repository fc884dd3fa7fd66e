package dev.ferry.server;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A process that runs some of the services: what it starts, what it prepares, what it refuses. */
@ExtendWith(VertxExtension.class)
class ServiceSubsetTest {

  @TempDir
  Path data;

  @Test
  void withoutTheGatewayThereIsNoPortAndNoCertificate(Vertx vertx, VertxTestContext context) {
    JsonObject config = new JsonObject().put("data", data.toString()).put("services", "storage,auth")
      .put("adminPassword", "subset-admin-1").put("pbkdf2Iterations", 10_000);
    FerryServer.start(vertx, config).onComplete(context.succeeding(server -> context.verify(() -> {
      assertThat(server.services()).containsExactly(Service.AUTH, Service.STORAGE);
      assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
      assertThat(Files.exists(data.resolve("users.json"))).as("auth started").isTrue();
      assertThat(Files.isDirectory(data.resolve("files/home"))).as("storage started").isTrue();
      assertThat(Files.exists(data.resolve("tls"))).as("no TLS material without the gateway").isFalse();
      assertThat(Files.exists(data.resolve("quota.json"))).isFalse();
      server.close().onComplete(context.succeedingThenComplete());
    })));
  }

  @Test
  void aClusteredProcessNeedsThePublicKeyEveryProcessShares(Vertx vertx, VertxTestContext context) {
    JsonObject config = new JsonObject().put("data", data.toString()).put("services", "storage").put("cluster", true);
    FerryServer.start(vertx, config).onComplete(context.failing(error -> context.verify(() -> {
      assertThat(error).hasMessageContaining("tokenPublicKeyPath (FERRY_TOKEN_PUBLIC_KEY_PATH) must be set in a cluster");
      context.completeNow();
    })));
  }

  @Test
  void anAllInOneServerMakesItsTokenKeysOnceAndKeepsThemPrivate(Vertx vertx, VertxTestContext context) throws Exception {
    JsonObject config = new JsonObject().put("data", data.toString()).put("services", "auth,storage")
      .put("adminPassword", "subset-admin-1").put("pbkdf2Iterations", 10_000);
    Path privateKey = data.resolve("keys/token-private.pem");
    Path publicKey = data.resolve("keys/token-public.pem");
    FerryServer.start(vertx, config)
      .compose(first -> {
        context.verify(() -> {
          assertThat(Files.readString(privateKey)).startsWith("-----BEGIN PRIVATE KEY-----");
          assertThat(Files.readString(publicKey)).startsWith("-----BEGIN PUBLIC KEY-----");
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("keys")))).isEqualTo("rwx------");
          assertThat(first.config().encode()).as("the signing key is not in the effective config").doesNotContain("PRIVATE KEY");
        });
        String made;
        try {
          made = Files.readString(privateKey);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return first.close().compose(v -> FerryServer.start(vertx, config)).map(second -> {
          context.verify(() -> assertThat(Files.readString(privateKey)).as("reused on the next start").isEqualTo(made));
          return second;
        });
      })
      .compose(FerryServer::close)
      .onComplete(context.succeedingThenComplete());
  }

  @Test
  void aProcessWithoutAuthRefusesThePrivateKey(Vertx vertx, VertxTestContext context) throws Exception {
    JsonObject config = TokenKeyKit.config(data.resolve("keys")).put("data", data.toString()).put("services", "gateway")
      .put("cluster", true);
    FerryServer.start(vertx, config).onComplete(context.failing(error -> context.verify(() -> {
      assertThat(error).hasMessageContaining("runs no auth service: only auth-service may hold the key that signs session tokens");
      context.completeNow();
    })));
  }

  @Test
  void aClusteredAuthNeedsThePrivateKey(Vertx vertx, VertxTestContext context) throws Exception {
    JsonObject config = TokenKeyKit.config(data.resolve("keys")).put("data", data.toString()).put("services", "auth")
      .put("cluster", true);
    config.remove(Setting.TOKEN_PRIVATE_KEY_PATH.key());
    FerryServer.start(vertx, config).onComplete(context.failing(error -> context.verify(() -> {
      assertThat(error).hasMessageContaining("tokenPrivateKeyPath (FERRY_TOKEN_PRIVATE_KEY_PATH) must be set where auth runs");
      context.completeNow();
    })));
  }

  @Test
  void anUnknownServiceIsRefusedBeforeAnythingStarts(Vertx vertx, VertxTestContext context) {
    JsonObject config = new JsonObject().put("data", data.resolve("never").toString()).put("services", "auth,ftp");
    FerryServer.start(vertx, config).onComplete(context.failing(error -> context.verify(() -> {
      assertThat(error).hasMessageContaining("unknown service 'ftp'");
      assertThat(Files.exists(data.resolve("never"))).isFalse();
      context.completeNow();
    })));
  }
}
