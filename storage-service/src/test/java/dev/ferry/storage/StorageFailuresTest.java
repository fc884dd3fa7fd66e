package dev.ferry.storage;

import dev.ferry.auth.TestTokens;
import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.ferry.protocol.bus.Failure.ALREADY_EXISTS;
import static dev.ferry.protocol.bus.Failure.BAD_NAME;
import static dev.ferry.protocol.bus.Failure.BAD_REQUEST;
import static dev.ferry.protocol.bus.Failure.IS_A_DIRECTORY;
import static dev.ferry.protocol.bus.Failure.NOT_EMPTY;
import static dev.ferry.protocol.bus.Failure.NOT_FOUND;
import static dev.ferry.protocol.bus.Failure.NO_PERMISSION;
import static dev.ferry.protocol.bus.Failure.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every failure of every storage action, through the real bus, each answered with its typed code. */
class StorageFailuresTest extends DeployedStorage {

  /** Who sends the request: a real token, none, or one the service must not accept. */
  enum Caller { ADMIN, ALICE, BOB, NONE, GARBAGE, FOREIGN_SECRET }

  static Stream<Arguments> failures() {
    return Stream.of(
      // Tokens: none, forged or signed with another secret.
      arguments(Caller.NONE, StorageApi.LIST, path("/home/alice"), UNAUTHENTICATED),
      arguments(Caller.GARBAGE, StorageApi.LIST, path("/home/alice"), UNAUTHENTICATED),
      arguments(Caller.FOREIGN_SECRET, StorageApi.LIST, path("/home/alice"), UNAUTHENTICATED),
      arguments(Caller.NONE, StorageApi.CREATE_HOME, account("carol"), UNAUTHENTICATED),
      // Request shapes.
      arguments(Caller.ALICE, "format", path("/home/alice"), BAD_REQUEST),
      arguments(Caller.ALICE, StorageApi.LIST, new JsonObject(), BAD_REQUEST),
      arguments(Caller.ALICE, StorageApi.LIST, new JsonObject().put(StorageApi.PATH, 42), BAD_REQUEST),
      arguments(Caller.ALICE, StorageApi.RENAME, new JsonObject().put(StorageApi.FROM, "/home/alice/b.txt"), BAD_REQUEST),
      arguments(Caller.ADMIN, StorageApi.USAGE, new JsonObject(), BAD_REQUEST),
      // LIST and STAT.
      arguments(Caller.BOB, StorageApi.LIST, path("/home/alice"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.LIST, path("/"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.LIST, path("/home/alice/../bob"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.LIST, path("/home/alice/etc"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.LIST, path("/home/alice/tobob"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.LIST, path("/home/alice/missing"), NOT_FOUND),
      arguments(Caller.ALICE, StorageApi.LIST, path("/home/alice/b*"), BAD_NAME),
      arguments(Caller.ALICE, StorageApi.STAT, path("/home/alice/missing"), NOT_FOUND),
      arguments(Caller.ALICE, StorageApi.STAT, path("/home/alice/notes.txt/x"), NOT_FOUND),
      arguments(Caller.ALICE, StorageApi.STAT, path("/home/bob/secret.txt"), NO_PERMISSION),
      arguments(Caller.ADMIN, StorageApi.STAT, path("/home/alice/etc/passwd"), NO_PERMISSION),
      // MKDIR.
      arguments(Caller.ALICE, StorageApi.MKDIR, path("/home/alice/no/such"), NOT_FOUND),
      arguments(Caller.ALICE, StorageApi.MKDIR, path("/home/alice/notes.txt/x"), NOT_FOUND),
      arguments(Caller.ALICE, StorageApi.MKDIR, path("/home/alice/sub"), ALREADY_EXISTS),
      arguments(Caller.ALICE, StorageApi.MKDIR, path("/home/alice/notes.txt"), ALREADY_EXISTS),
      arguments(Caller.ALICE, StorageApi.MKDIR, path("/home/alice"), ALREADY_EXISTS),
      arguments(Caller.ALICE, StorageApi.MKDIR, path("/home/alice/dangling"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.MKDIR, path("/home/alice/tobob/new"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.MKDIR, path("/home/bob/new"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.MKDIR, path("/home/alice/a\\b"), BAD_NAME),
      arguments(Caller.ALICE, StorageApi.MKDIR, path("/home/alice/" + "x".repeat(256)), BAD_NAME),
      // RM.
      arguments(Caller.ALICE, StorageApi.RM, path("/home/alice/sub"), NOT_EMPTY),
      arguments(Caller.ALICE, StorageApi.RM, path("/home/alice/missing"), NOT_FOUND),
      arguments(Caller.ALICE, StorageApi.RM, path("/home/alice"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.RM, path("/home/alice/sub/../.."), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.RM, path("/home/alice/etc"), NO_PERMISSION),
      arguments(Caller.BOB, StorageApi.RM, path("/home/alice/notes.txt"), NO_PERMISSION),
      arguments(Caller.ADMIN, StorageApi.RM, path("/"), NO_PERMISSION),
      arguments(Caller.ADMIN, StorageApi.RM, path("/home"), NO_PERMISSION),
      // RENAME.
      arguments(Caller.ALICE, StorageApi.RENAME, move("/home/alice/notes.txt", "/home/alice/b.txt"), ALREADY_EXISTS),
      arguments(Caller.ALICE, StorageApi.RENAME, move("/home/alice/notes.txt", "/home/alice/sub"), ALREADY_EXISTS),
      arguments(Caller.ALICE, StorageApi.RENAME, move("/home/alice/missing", "/home/alice/x"), NOT_FOUND),
      arguments(Caller.ALICE, StorageApi.RENAME, move("/home/alice/notes.txt", "/home/alice/no/x"), NOT_FOUND),
      arguments(Caller.ALICE, StorageApi.RENAME, move("/home/alice", "/home/alice2"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.RENAME, move("/home/alice", "/home/alice/x"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.RENAME, move("/home/alice/sub", "/home/alice/sub/inside"), BAD_NAME),
      arguments(Caller.ALICE, StorageApi.RENAME, move("/home/alice/notes.txt", "/home/bob/notes.txt"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.RENAME, move("/home/alice/notes.txt", "/home/alice/tobob/n.txt"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.RENAME, move("/home/bob/secret.txt", "/home/alice/mine.txt"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.RENAME, move("/home/alice/notes.txt", "/home/alice/a*b"), BAD_NAME),
      arguments(Caller.ADMIN, StorageApi.RENAME, move("/home", "/homes"), NO_PERMISSION),
      // CHECKSUM.
      arguments(Caller.ALICE, StorageApi.CHECKSUM, path("/home/alice/sub"), IS_A_DIRECTORY),
      arguments(Caller.ALICE, StorageApi.CHECKSUM, path("/home/alice/missing"), NOT_FOUND),
      arguments(Caller.ALICE, StorageApi.CHECKSUM, path("/home/alice/big"), NO_PERMISSION),
      arguments(Caller.BOB, StorageApi.CHECKSUM, path("/home/alice/notes.txt"), NO_PERMISSION),
      // Homes and usage.
      arguments(Caller.ALICE, StorageApi.CREATE_HOME, account("alice"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.CREATE_HOME, account("carol"), NO_PERMISSION),
      arguments(Caller.ADMIN, StorageApi.CREATE_HOME, account("../etc"), BAD_NAME),
      arguments(Caller.ADMIN, StorageApi.CREATE_HOME, account("Carol"), BAD_NAME),
      arguments(Caller.ALICE, StorageApi.PURGE_HOME, account("bob"), NO_PERMISSION),
      arguments(Caller.ALICE, StorageApi.PURGE_HOME, account("alice"), NO_PERMISSION),
      arguments(Caller.ADMIN, StorageApi.PURGE_HOME, account(""), BAD_NAME),
      arguments(Caller.BOB, StorageApi.USAGE, account("alice"), NO_PERMISSION),
      arguments(Caller.ADMIN, StorageApi.USAGE, account("a/b"), BAD_NAME)
    );
  }

  @ParameterizedTest(name = "[{index}] {0} {1} {2} -> {3}")
  @MethodSource("failures")
  void failsWithTheTypedCode(Caller caller, String action, JsonObject body, Failure expected, Vertx vertx,
                             VertxTestContext ctx) {
    storage.request(action, token(vertx, caller), body).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(Failure.of(e)).isEqualTo(expected);
      ctx.completeNow();
    })));
  }

  private String token(Vertx vertx, Caller caller) {
    return switch (caller) {
      case ADMIN -> admin;
      case ALICE -> alice;
      case BOB -> bob;
      case NONE -> null;
      case GARBAGE -> "not.a.token";
      case FOREIGN_SECRET -> TestTokens.forged(vertx, "alice", Role.USER);
    };
  }
}
