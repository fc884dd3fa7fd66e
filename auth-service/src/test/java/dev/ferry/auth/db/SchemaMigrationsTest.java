package dev.ferry.auth.db;

import dev.ferry.auth.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema from an empty database and from the previous version, on a real PostgreSQL. */
class SchemaMigrationsTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static DatabaseOptions options(String url) {
    return TestPostgres.options(url);
  }

  private static String database(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  @Test
  void anEmptyDatabaseGetsEveryStep() throws Exception {
    String url = TestPostgres.shared().newDatabase();
    AccountDatabase db = await(AccountDatabase.open(vertx, options(url)));
    try {
      String db1 = database(url);
      assertThat(TestPostgres.shared().psql(db1, "SELECT string_agg(version || ':' || name, ',' ORDER BY version) FROM schema_version"))
        .isEqualTo("1:V1__accounts.sql,2:V2__shared_login_state.sql,3:V3__address_failures.sql,4:V4__account_keys.sql");
      assertThat(TestPostgres.shared().psql(db1, "SELECT count(*) FROM accounts, quota_limits, login_failures, service_keys, "
        + "address_failures")).isEqualTo("0");
      assertThat(await(SchemaMigrations.migrate(vertx, db.pool()))).as("a second start changes nothing").isEqualTo(4);
    } finally {
      await(db.close());
    }
  }

  /** What undoes each step after the first, to get a database exactly as an older version left it. */
  private static final String[] UNDO = {"", "DROP TABLE service_keys", "DROP TABLE address_failures", "DROP TABLE account_keys"};

  @ParameterizedTest(name = "from version {0}")
  @ValueSource(ints = {1, 2, 3})
  void anOlderDatabaseIsUpgradedKeepingItsData(int version) throws Exception {
    String url = TestPostgres.shared().newDatabase();
    String name = database(url);
    await(await(AccountDatabase.open(vertx, options(url))).close());
    for (int step = SchemaMigrations.LATEST; step > version; step--) {
      TestPostgres.shared().psql(name, UNDO[step - 1] + "; DELETE FROM schema_version WHERE version = " + step);
    }
    TestPostgres.shared().psql(name, "INSERT INTO accounts (name, role, hash) VALUES ('alice', 'user', '$pbkdf2$x');"
      + "INSERT INTO quota_limits (account, limit_bytes) VALUES ('alice', 1000)");
    assertThat(TestPostgres.shared().psql(name, "SELECT max(version) FROM schema_version")).isEqualTo(String.valueOf(version));

    await(await(AccountDatabase.open(vertx, options(url))).close());
    assertThat(TestPostgres.shared().psql(name, "SELECT max(version) FROM schema_version")).isEqualTo("4");
    assertThat(TestPostgres.shared().psql(name, "SELECT name || ' ' || role || ' ' || limit_bytes FROM accounts "
      + "JOIN quota_limits ON account = name")).isEqualTo("alice user 1000");
    assertThat(TestPostgres.shared().psql(name, "SELECT count(*) FROM service_keys, address_failures, account_keys")).isEqualTo("0");
  }

  @Test
  void replicasStartingAtOnceApplyEachStepOnce() throws Exception {
    String url = TestPostgres.shared().newDatabase();
    Future<AccountDatabase> first = AccountDatabase.open(vertx, options(url));
    Future<AccountDatabase> second = AccountDatabase.open(vertx, options(url));
    Future<AccountDatabase> third = AccountDatabase.open(vertx, options(url));
    await(Future.all(first, second, third));
    assertThat(TestPostgres.shared().psql(database(url), "SELECT count(*) FROM schema_version")).isEqualTo("4");
    await(Future.all(first.result().close(), second.result().close(), third.result().close()));
  }

  @Test
  void aSchemaNewerThanThisFerryIsRefused() throws Exception {
    String url = TestPostgres.shared().newDatabase();
    await(await(AccountDatabase.open(vertx, options(url))).close());
    TestPostgres.shared().psql(database(url), "INSERT INTO schema_version (version, name) VALUES (99, 'V99__future.sql')");
    assertThatThrownBy(() -> await(AccountDatabase.open(vertx, options(url))))
      .hasMessageContaining("cannot use the account database " + url)
      .hasMessageContaining("schema is at version 99, newer than this Ferry knows (4)");
  }

  @Test
  void aWrongPasswordAndAnUnreachableServerSaySo() throws Exception {
    String url = TestPostgres.shared().newDatabase();
    DatabaseOptions wrong = new DatabaseOptions(new JsonObject().put("accountStore", "postgres").put("databaseUrl", url)
      .put("databasePassword", "not-the-password"));
    assertThatThrownBy(() -> await(AccountDatabase.open(vertx, wrong)))
      .hasMessageContaining("cannot use the account database " + url)
      .hasMessageContaining("password authentication failed");

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String nowhere = "postgresql://ferry@127.0.0.1:" + closedPort + "/ferry";
    assertThatThrownBy(() -> await(AccountDatabase.open(vertx, options(nowhere))))
      .hasMessageContaining("cannot use the account database " + nowhere)
      .hasMessageContaining("Connection refused");
  }
}
