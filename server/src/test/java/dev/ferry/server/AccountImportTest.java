package dev.ferry.server;

import dev.ferry.auth.TestPostgres;
import dev.ferry.protocol.Header;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ferry-server --import-accounts}: a single server's users.json and quota.json into the
 * account database, idempotent, and a PostgreSQL-backed server that then knows every account,
 * password, lock and limit. Clear refusals when the settings are missing or wrong.
 */
class AccountImportTest {

  @TempDir
  Path work;

  private ServerProcess importCommand(Map<String, String> env) throws Exception {
    return ServerProcess.launch(work, env, List.of(), "--import-accounts");
  }

  private Map<String, String> postgresEnv(String url) {
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_DATA", work.resolve("single").toString());
    env.put("FERRY_ACCOUNT_STORE", "postgres");
    env.put("FERRY_DATABASE_URL", url);
    env.put("FERRY_DATABASE_PASSWORD", TestPostgres.PASSWORD);
    return env;
  }

  @Test
  void aSingleServersAccountsAndLimitsMoveIntoTheDatabase() throws Exception {
    try (ServerFixture single = ServerFixture.start(work.resolve("single"), new JsonObject())) {
      single.addUser("alice", "alice-pass-1", 5000);
      single.addUser("bob", "bob-pass-12", 7000);
      try (WireClient admin = single.admin()) {
        assertThat(admin.call("lock", "bob")).isEqualTo("OK");
      }
    }
    String url = TestPostgres.shared().newDatabase();
    try (ServerProcess first = importCommand(postgresEnv(url))) {
      assertThat(first.awaitExit()).as(first.outputSoFar()).isZero();
      assertThat(first.outputSoFar())
        .contains("ferry-server: imported 3 accounts from " + work.resolve("single/users.json") + " into " + url
          + " (0 already there, left as they were)")
        .contains("ferry-server: imported 2 quota limits from " + work.resolve("single/quota.json")
          + " (0 already there, left as they were)");
    }
    try (ServerProcess again = importCommand(postgresEnv(url))) {
      assertThat(again.awaitExit()).as(again.outputSoFar()).isZero();
      assertThat(again.outputSoFar()).contains("imported 0 accounts").contains("(3 already there, left as they were)")
        .contains("imported 0 quota limits").contains("(2 already there, left as they were)");
    }

    JsonObject cluster = ServerFixture.accountStore("postgres").put("databaseUrl", url);
    try (ServerFixture grown = ServerFixture.start(work.resolve("grown"), cluster.put("adminPassword", "not-used-1"))) {
      try (WireClient alice = WireClient.login(grown.port(), "alice", "alice-pass-1", "user")) {
        assertThat(alice.call("quota", "")).isEqualTo("0*5000");
      }
      try (WireClient c = WireClient.connect(grown.port())) {
        assertThat(c.call(new Header("bob", "bob-pass-12", "login", "user")).data()).as("still locked").isEqualTo("9");
      }
      try (WireClient admin = grown.admin()) {
        assertThat(admin.call("quota", "bob")).isEqualTo("0*7000");
      }
    }
  }

  @Test
  void missingOrWrongSettingsAreRefusedClearly() throws Exception {
    try (ServerProcess fileStore = importCommand(Map.of("FERRY_DATA", work.toString()))) {
      assertThat(fileStore.awaitExit()).isEqualTo(2);
      assertThat(fileStore.outputSoFar()).contains("--import-accounts writes to the database of accountStore=postgres");
    }
    Map<String, String> noPassword = postgresEnv(TestPostgres.shared().newDatabase());
    noPassword.remove("FERRY_DATABASE_PASSWORD");
    try (ServerProcess refused = importCommand(noPassword)) {
      assertThat(refused.awaitExit()).isEqualTo(2);
      assertThat(refused.outputSoFar()).contains("needs the database password: set FERRY_DATABASE_PASSWORD or databasePasswordFile");
    }
    try (ServerProcess badUrl = importCommand(postgresEnv("mysql://ferry@127.0.0.1/x"))) {
      assertThat(badUrl.awaitExit()).isEqualTo(2);
      assertThat(badUrl.outputSoFar()).contains("databaseUrl \"mysql://ferry@127.0.0.1/x\" is not of the form");
    }
    try (ServerProcess nothingToImport = importCommand(postgresEnv(TestPostgres.shared().newDatabase()))) {
      assertThat(nothingToImport.awaitExit()).isEqualTo(1);
      assertThat(nothingToImport.outputSoFar()).contains("there is no " + work.resolve("single/users.json") + " to import");
    }
  }

  @Test
  void aServerRefusesToStartWithoutItsDatabase() throws Exception {
    Map<String, String> env = postgresEnv("postgresql://ferry@127.0.0.1:" + TestPostgres.shared().port() + "/no_such_db");
    env.put("FERRY_PORT", "0");
    try (ServerProcess server = ServerProcess.launch(work, env, List.of())) {
      assertThat(server.awaitExit()).isEqualTo(1);
      assertThat(server.outputSoFar()).contains("ferry-server: could not start: cannot use the account database "
        + "postgresql://ferry@127.0.0.1:" + TestPostgres.shared().port() + "/no_such_db")
        .contains("does not exist");
    }
  }
}
