package dev.ferry.auth;

import dev.ferry.auth.db.AccountDatabase;
import dev.ferry.auth.db.DatabaseOptions;
import dev.ferry.protocol.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SSH public keys in the shared database, through two pools standing for two auth replicas: a
 * key set through one is seen by the other, and deleting the account drops its keys.
 */
class PgKeysStoreTest {

  private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
  private static final String OTHER = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9nP0Lx3uL2aXbjMCEL5pXq8Yq3JvSNUqPsV8K1nQ5x";
  private static Vertx vertx;
  private static AccountDatabase first;
  private static AccountDatabase second;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    DatabaseOptions options = TestPostgres.options(TestPostgres.shared().newDatabase());
    first = await(AccountDatabase.open(vertx, options));
    second = await(AccountDatabase.open(vertx, options));
  }

  @AfterAll
  static void stop() throws Exception {
    await(Future.all(first.close(), second.close()));
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void keysSetThroughOneReplicaAreSeenByAnotherAndGoWithTheAccount() throws Exception {
    PgAccountStore accounts = new PgAccountStore(first.pool(), "test");
    await(accounts.add(new Account("alice", Role.USER, "$pbkdf2$x", false)));
    KeysStore a = new PgKeysStore(first.pool());
    KeysStore b = new PgKeysStore(second.pool());

    await(a.set("alice", List.of(KEY, OTHER)));
    assertThat(await(b.of("alice"))).containsExactly(KEY, OTHER);
    await(b.set("alice", List.of(OTHER)));
    assertThat(await(a.of("alice"))).as("a replacement through the other replica").containsExactly(OTHER);

    await(new PgAccountStore(second.pool(), "test").remove("alice"));
    assertThat(await(a.of("alice"))).as("keys of a deleted account").isEmpty();
    await(accounts.add(new Account("alice", Role.USER, "$pbkdf2$x", false)));
    assertThat(await(b.of("alice"))).as("a new account of that name inherits nothing").isEmpty();
  }

  @Test
  void keysOfNoAccountAreNotKeptAndEmptyRemoves() throws Exception {
    KeysStore a = new PgKeysStore(first.pool());
    await(a.set("nobody", List.of(KEY)));
    assertThat(await(a.of("nobody"))).isEmpty();

    await(new PgAccountStore(first.pool(), "test").add(new Account("bob", Role.USER, "$pbkdf2$x", false)));
    await(a.set("bob", List.of(KEY)));
    await(new PgKeysStore(second.pool()).set("bob", List.of()));
    assertThat(await(a.of("bob"))).isEmpty();
  }
}
