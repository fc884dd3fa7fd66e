package dev.ferry.server;

import dev.ferry.auth.TestPostgres;
import dev.ferry.protocol.Header;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account database restarted under a running server: while it is down, logins and admin
 * commands answer {@code BUSY*UNAVAILABLE} (nothing is counted against the client); once it is back
 * they succeed again, with no restart of Ferry. A PostgreSQL of its own, since it is stopped.
 */
class AccountDatabaseRestartTest {

  private static final String UNAVAILABLE = "BUSY*UNAVAILABLE";

  @TempDir
  static Path data;
  static TestPostgres postgres;
  static ServerFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    postgres = TestPostgres.start();
    fixture = ServerFixture.start(data, new JsonObject()
      .put("accountStore", "postgres")
      .put("databaseUrl", postgres.newDatabase())
      .put("databasePassword", TestPostgres.PASSWORD));
    fixture.addUser("alice", "alice-pass-1", 1000);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
    postgres.close();
  }

  private static String login(String account, String password, String role) throws Exception {
    try (WireClient client = WireClient.connect(fixture.port())) {
      return client.call(new Header(account, password, "login", role)).data();
    }
  }

  @Test
  void requestsFailClearlyWhileTheDatabaseIsDownAndSucceedOnceItIsBack() throws Exception {
    assertThat(login("alice", "alice-pass-1", "user")).startsWith("1*");
    try (WireClient admin = fixture.admin()) {
      postgres.stop();
      for (int i = 0; i < 4; i++) {
        assertThat(login("alice", "alice-pass-1", "user")).as("login " + i + " while the database is down").isEqualTo(UNAVAILABLE);
      }
      assertThat(login("alice", "wrong-pass-1", "user")).as("not counted as a failure either").isEqualTo(UNAVAILABLE);
      assertThat(admin.call("users", "")).isEqualTo(UNAVAILABLE);
      assertThat(admin.call("lock", "alice")).isEqualTo(UNAVAILABLE);

      postgres.restart();
      // The pool opens new connections on the next requests; no fixed wait, a deadline.
      long deadline = System.nanoTime() + 30_000_000_000L;
      String answer = login("alice", "alice-pass-1", "user");
      while (!answer.startsWith("1*") && System.nanoTime() < deadline) {
        assertThat(answer).isEqualTo(UNAVAILABLE);
        answer = login("alice", "alice-pass-1", "user");
      }
      assertThat(answer).as("a login once the database is back").startsWith("1*");
      assertThat(admin.call("users", "")).as("the admin session lived through it").contains("\"alice\"");
      assertThat(admin.call("lock", "alice")).isEqualTo("OK");
    }
    assertThat(login("alice", "alice-pass-1", "user")).isEqualTo("9");
  }
}
