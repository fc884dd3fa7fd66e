package dev.ferry.server;

import dev.ferry.auth.TestPostgres;
import dev.ferry.protocol.Header;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lockout after failed logins binds the account and the client's address, so failing on
 * purpose cannot keep the admin out; {@code ferry-server --unlock} lifts locks out of band, on a
 * running server and on a stopped one. Clients are told apart by their loopback source address.
 */
class LockoutTest {

  private static final String ADMIN_PASSWORD = "lockout-admin-1";

  @TempDir
  Path work;

  private Map<String, String> env() {
    return Map.of("FERRY_PORT", "0", "FERRY_DATA", work.resolve("data").toString(), "FERRY_ADMIN_PASSWORD", ADMIN_PASSWORD,
      "FERRY_PBKDF2_ITERATIONS", "10000");
  }

  private static String login(String from, int port, String account, String password) throws Exception {
    try (WireClient client = WireClient.connectFrom(from, port)) {
      return client.call(new Header(account, password, "login", "admin".equals(account) ? "admin" : "user")).data();
    }
  }

  /** Five wrong passwords from {@code from}, over two connections (a connection closes after three). */
  private static void failFiveTimes(String from, int port, String account) throws Exception {
    for (int conn = 0; conn < 2; conn++) {
      try (WireClient client = WireClient.connectFrom(from, port)) {
        for (int i = 0; i < (conn == 0 ? 3 : 2); i++) {
          assertThat(client.call(new Header(account, "wrong-guess-" + i, "login", "admin")).data()).isEqualTo("2");
        }
      }
    }
  }

  private ServerProcess unlockCommand(String account) throws Exception {
    return ServerProcess.launch(work, env(), List.of(), "--unlock", account);
  }

  @Test
  void failuresFromOneAddressDoNotLockTheAdminOutOfAnother() throws Exception {
    try (ServerProcess server = ServerProcess.start(work, env())) {
      failFiveTimes("127.0.0.2", server.port, "admin");
      assertThat(login("127.0.0.2", server.port, "admin", ADMIN_PASSWORD)).as("the failing address stays locked").isEqualTo("9");
      assertThat(login("127.0.0.3", server.port, "admin", ADMIN_PASSWORD)).as("another address gets in").startsWith("1*");
      assertThat(login("127.0.0.2", server.port, "admin", ADMIN_PASSWORD)).as("and its login lifts nothing").isEqualTo("9");

      try (ServerProcess unlock = unlockCommand("admin")) {
        assertThat(unlock.awaitExit()).as(unlock.outputSoFar()).isZero();
        assertThat(unlock.output).contains("ferry-server: unlocked account admin in the running auth service");
      }
      assertThat(login("127.0.0.2", server.port, "admin", ADMIN_PASSWORD)).startsWith("1*");

      try (ServerProcess unlock = unlockCommand("nobody")) {
        assertThat(unlock.awaitExit()).isEqualTo(1);
        assertThat(unlock.outputSoFar()).contains("ferry-server: no account nobody in ");
      }
      server.terminate();
    }
  }

  @Test
  void unlockLiftsLockoutsInTheAccountDatabaseOfARunningServer() throws Exception {
    String url = TestPostgres.shared().newDatabase();
    Map<String, String> env = new HashMap<>(env());
    env.put("FERRY_ACCOUNT_STORE", "postgres");
    env.put("FERRY_DATABASE_URL", url);
    env.put("FERRY_DATABASE_PASSWORD", TestPostgres.PASSWORD);
    try (ServerProcess server = ServerProcess.start(work, env)) {
      failFiveTimes("127.0.0.2", server.port, "admin");
      assertThat(login("127.0.0.2", server.port, "admin", ADMIN_PASSWORD)).as("the failing address stays locked").isEqualTo("9");
      assertThat(login("127.0.0.3", server.port, "admin", ADMIN_PASSWORD)).as("another address gets in").startsWith("1*");

      try (ServerProcess unlock = ServerProcess.launch(work, env, List.of(), "--unlock", "admin")) {
        assertThat(unlock.awaitExit()).as(unlock.outputSoFar()).isZero();
        assertThat(unlock.output).contains("ferry-server: unlocked account admin in the account database " + url);
      }
      assertThat(login("127.0.0.2", server.port, "admin", ADMIN_PASSWORD)).startsWith("1*");

      try (ServerProcess unlock = ServerProcess.launch(work, env, List.of(), "--unlock", "nobody")) {
        assertThat(unlock.awaitExit()).isEqualTo(1);
        assertThat(unlock.outputSoFar()).contains("ferry-server: no account nobody in the account database " + url);
      }
      server.terminate();
    }
  }

  @Test
  void unlockLiftsTheAdminsLockOnAStoppedServer() throws Exception {
    try (ServerProcess server = ServerProcess.start(work, env())) {
      try (WireClient admin = WireClient.connectFrom("127.0.0.2", server.port)) {
        assertThat(admin.call(new Header("admin", ADMIN_PASSWORD, "login", "admin")).data()).startsWith("1*");
        assertThat(admin.call("useradd", "mallory*mallory-pass-1*user*1000")).isEqualTo("OK");
        assertThat(admin.call("lock", "mallory")).isEqualTo("OK");
      }
      server.terminate();
    }
    Path users = work.resolve("data/users.json");
    assertThat(lockedIn(users, "mallory")).isTrue();
    try (ServerProcess unlock = unlockCommand("mallory")) {
      assertThat(unlock.awaitExit()).as(unlock.outputSoFar()).isZero();
      assertThat(unlock.output).anyMatch(l -> l.startsWith("ferry-server: unlocked account mallory in ")
        && l.endsWith("(no auth service was running)"));
    }
    assertThat(lockedIn(users, "mallory")).isFalse();
    assertThat(lockedIn(users, "admin")).isFalse();
    try (ServerProcess server = ServerProcess.start(work, env())) {
      assertThat(login("127.0.0.2", server.port, "mallory", "mallory-pass-1")).startsWith("1*");
      server.terminate();
    }
  }

  private static boolean lockedIn(Path users, String account) throws Exception {
    return new JsonObject(Files.readString(users)).getJsonArray("accounts").stream().map(JsonObject.class::cast)
      .filter(a -> a.getString("account").equals(account)).findFirst().orElseThrow().getBoolean("locked");
  }
}
