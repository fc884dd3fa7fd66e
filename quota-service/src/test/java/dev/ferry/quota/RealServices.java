package dev.ferry.quota;

import dev.ferry.auth.TestTokens;
import dev.ferry.auth.AuthVerticle;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.QuotaApi;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.StorageApi;
import dev.ferry.storage.StorageVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real auth-service and storage-service that quota-service asks, deployed as the server
 * module deploys them, over one temp data directory, with accounts made through auth-service's
 * own API. Tokens are signed with the test key the services verify with.
 */
final class RealServices {

  static final long MIB = 1024 * 1024;
  /** The account auth-service creates on its first start. */
  static final String ADMIN = "admin";

  private RealServices() {
  }

  static JsonObject config(Path data, int reservationSeconds) {
    return TestTokens.put(new JsonObject())
      .put("data", data.toString())
      .put("adminPassword", "admin-password")
      .put("pbkdf2Iterations", 1000)
      .put("defaultQuota", 100 * MIB)
      .put("reservationSeconds", reservationSeconds);
  }

  /** Writes {@code <data>/quota.json} with these limits, before quota-service starts. Blocking. */
  static void writeLimits(Path data, JsonObject limits) throws IOException {
    Files.createDirectories(data);
    Files.writeString(data.resolve(QuotaOptions.QUOTA_FILE), new JsonObject().put("version", 1).put("limits", limits).encode());
  }

  static String token(Vertx vertx, String account, Role role) {
    return TestTokens.issue(vertx, account, role);
  }

  /** Starts auth and storage, then creates each user account with its home. */
  static Future<Void> deployAuthAndStorage(Vertx vertx, JsonObject config, String... users) {
    String admin = token(vertx, ADMIN, Role.ADMIN);
    BusClient auth = new BusClient(vertx, Addresses.AUTH);
    BusClient storage = new BusClient(vertx, Addresses.STORAGE);
    Future<?> chain = deploy(vertx, new AuthVerticle(), config).compose(id -> deploy(vertx, new StorageVerticle(), config));
    for (String user : users) {
      chain = chain
        .compose(v -> auth.request(AuthApi.ADD, admin, new JsonObject()
          .put(AuthApi.ACCOUNT, user).put(AuthApi.PASSWORD, user + "-password").put(AuthApi.ROLE, Role.USER.wire())))
        .compose(v -> storage.request(StorageApi.CREATE_HOME, admin, new JsonObject().put(StorageApi.ACCOUNT, user)));
    }
    return chain.mapEmpty();
  }

  static Future<String> deploy(Vertx vertx, Deployable verticle, JsonObject config) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config));
  }

  /** The real directory of an account's home (storage's layout: {@code <data>/files/home/<account>}). */
  static Path home(Path data, String account) {
    return data.resolve("files").resolve("home").resolve(account);
  }

  /** A file of {@code bytes} zero bytes, written straight to the disk, behind the services' backs. Blocking. */
  static void writeFile(Path file, long bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[Math.toIntExact(bytes)]);
  }

  static JsonObject reserve(String account, long bytes) {
    return new JsonObject().put(QuotaApi.ACCOUNT, account).put(QuotaApi.BYTES, bytes);
  }

  static JsonObject reservation(String account, String id) {
    return new JsonObject().put(QuotaApi.ACCOUNT, account).put(QuotaApi.RESERVATION, id);
  }
}
