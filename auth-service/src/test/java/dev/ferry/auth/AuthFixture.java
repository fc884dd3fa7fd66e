package dev.ferry.auth;

import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.AuthApi;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.Failure;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/** Shared set-up of the auth tests: a config, a deployment, and request shortcuts. */
final class AuthFixture {

  static final String ADMIN_PASSWORD = "admin-password-1";
  /** Lowered for speed; one test class keeps the default 210000 to prove it works. */
  static final int FAST_ITERATIONS = 1000;

  private AuthFixture() {
  }

  static JsonObject config(Path dataDir) {
    return TestTokens.put(new JsonObject()
      .put("data", dataDir.toString())
      .put("pbkdf2Iterations", FAST_ITERATIONS)
      .put("adminPassword", ADMIN_PASSWORD));
  }

  static Future<String> deploy(Vertx vertx, AuthVerticle verticle, JsonObject config) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config));
  }

  static Future<String> deploy(Vertx vertx, Path dataDir) {
    return deploy(vertx, new AuthVerticle(), config(dataDir));
  }

  static BusClient client(Vertx vertx) {
    return new BusClient(vertx, Addresses.AUTH);
  }

  static Future<JsonObject> login(BusClient auth, String account, String password, String role) {
    return auth.request(AuthApi.LOGIN, null, new JsonObject()
      .put(AuthApi.ACCOUNT, account).put(AuthApi.PASSWORD, password).put(AuthApi.ROLE, role));
  }

  static Future<String> code(BusClient auth, String account, String password, String role) {
    return login(auth, account, password, role).map(reply -> reply.getString(AuthApi.CODE));
  }

  /** Logs in and returns the token; fails unless the login answered 1. */
  static Future<String> token(BusClient auth, String account, String password, String role) {
    return login(auth, account, password, role).compose(reply -> "1".equals(reply.getString(AuthApi.CODE))
      ? Future.succeededFuture(reply.getString(AuthApi.TOKEN))
      : Future.failedFuture(new AssertionError("login of " + account + " answered " + reply.encode())));
  }

  static Future<String> adminToken(BusClient auth) {
    return token(auth, "admin", ADMIN_PASSWORD, "admin");
  }

  static Future<JsonObject> addUser(BusClient auth, String adminToken, String account, String password) {
    return auth.request(AuthApi.ADD, adminToken, new JsonObject()
      .put(AuthApi.ACCOUNT, account).put(AuthApi.PASSWORD, password).put(AuthApi.ROLE, "user"));
  }

  /** The typed failure a request ended with; fails if the request succeeded. */
  static Future<Failure> failure(Future<?> request) {
    return request.transform(ar -> ar.succeeded()
      ? Future.failedFuture(new AssertionError("expected a failure, got " + ar.result()))
      : Future.succeededFuture(Failure.of(ar.cause())));
  }
}
