package dev.ferry.server;

import dev.ferry.protocol.Header;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Login outcomes, lockout and every admin command of PROTOCOL.md sections 3 and 7, end to end. */
@ParameterizedClass(name = "{0} account store")
@FieldSource("dev.ferry.server.ServerFixture#ACCOUNT_STORES")
class AccountCommandsTest {

  private static final String NO_PERMISSION = "没有访问权限!";

  @TempDir
  static Path work;
  static ServerFixture fixture;
  @Parameter
  String store;

  @BeforeParameterizedClassInvocation
  static void start(String store) throws Exception {
    fixture = ServerFixture.start(work.resolve(store), ServerFixture.accountStore(store));
  }

  @AfterParameterizedClassInvocation
  static void stop() throws Exception {
    fixture.close();
  }

  private String login(WireClient client, String account, String password, String role) throws Exception {
    return client.call(new Header(account, password, "login", role)).data();
  }

  @Test
  void loginAnswersTheSeedCodes() throws Exception {
    fixture.addUser("erin", "erin-pass-1", 1000);
    try (WireClient c = WireClient.connect(fixture.port())) {
      assertThat(login(c, "nobody", "whatever-1", "user")).isEqualTo("0");
      assertThat(login(c, "erin", "wrong-pass", "user")).isEqualTo("2");
      assertThat(login(c, "erin", "erin-pass-1", "admin")).as("a role the account does not have").isEqualTo("2");
    }
    try (WireClient c = WireClient.connect(fixture.port())) {
      assertThat(login(c, "erin", "erin-pass-1", "user")).isEqualTo("1*/home/erin*[]");
    }
  }

  @Test
  void threeFailedLoginsCloseTheConnection() throws Exception {
    fixture.addUser("frank", "frank-pass-1", 1000);
    try (WireClient c = WireClient.connect(fixture.port())) {
      assertThat(login(c, "frank", "bad-1", "user")).isEqualTo("2");
      assertThat(login(c, "frank", "bad-2", "user")).isEqualTo("2");
      assertThat(login(c, "frank", "bad-3", "user")).isEqualTo("2");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void fiveFailuresLockTheAccountUntilTheAdminUnlocksIt() throws Exception {
    fixture.addUser("grace", "grace-pass-1", 1000);
    for (int conn = 0; conn < 2; conn++) {
      try (WireClient c = WireClient.connect(fixture.port())) {
        for (int i = 0; i < (conn == 0 ? 3 : 2); i++) {
          login(c, "grace", "wrong-" + i, "user");
        }
      }
    }
    try (WireClient c = WireClient.connect(fixture.port())) {
      assertThat(login(c, "grace", "grace-pass-1", "user")).as("locked even with the right password").isEqualTo("9");
    }
    try (WireClient admin = fixture.admin()) {
      JsonObject grace = users(admin).stream().map(JsonObject.class::cast)
        .filter(u -> u.getString("account").equals("grace")).findFirst().orElseThrow();
      assertThat(grace.getBoolean("locked")).isTrue();
      assertThat(admin.call("unlock", "grace")).isEqualTo("OK");
    }
    try (WireClient c = WireClient.connect(fixture.port())) {
      assertThat(login(c, "grace", "grace-pass-1", "user")).startsWith("1*");
    }
  }

  @Test
  void theAdminCanLockAndUnlock() throws Exception {
    fixture.addUser("heidi", "heidi-pass-1", 1000);
    try (WireClient admin = fixture.admin()) {
      assertThat(admin.call("lock", "heidi")).isEqualTo("OK");
      try (WireClient c = WireClient.connect(fixture.port())) {
        assertThat(login(c, "heidi", "heidi-pass-1", "user")).isEqualTo("9");
      }
      assertThat(admin.call("unlock", "heidi")).isEqualTo("OK");
      assertThat(admin.call("lock", "nosuch")).isEqualTo("0");
      assertThat(admin.call("unlock", "nosuch")).isEqualTo("0");
    }
    try (WireClient c = WireClient.connect(fixture.port())) {
      assertThat(login(c, "heidi", "heidi-pass-1", "user")).startsWith("1*");
    }
  }

  @Test
  void useraddCreatesAnAccountWithItsHomeAndQuota() throws Exception {
    try (WireClient admin = fixture.admin()) {
      assertThat(admin.call("useradd", "ivan*ivan-pass-1*user*5000")).isEqualTo("OK");
      assertThat(Files.isDirectory(fixture.home("ivan"))).isTrue();
      assertThat(admin.call("useradd", "ivan*ivan-pass-1*user*5000")).isEqualTo("ALREADY_EXISTS");
      assertThat(admin.call("useradd", "Ivan!*ivan-pass-1*user*5000")).isEqualTo("BAD_NAME");
      assertThat(admin.call("useradd", "judy*short*user*5000")).isEqualTo("WEAK_PASSWORD");
      assertThat(admin.call("useradd", "judy*judy-pass-1*user")).isEqualTo("BAD_ARGUMENTS");
      assertThat(admin.call("useradd", "judy*judy-pass-1*user*lots")).isEqualTo("BAD_ARGUMENTS");
      assertThat(admin.call("useradd", "star*pass*with*stars*user*100")).as("a password may hold *").isEqualTo("OK");
      assertThat(admin.call("quota", "ivan")).isEqualTo("0*5000");
      assertThat(admin.call("setquota", "ivan*7000")).isEqualTo("OK");
      assertThat(admin.call("quota", "ivan")).isEqualTo("0*7000");
      assertThat(admin.call("setquota", "nosuch*7000")).isEqualTo("0");
      JsonObject ivan = users(admin).stream().map(JsonObject.class::cast)
        .filter(u -> u.getString("account").equals("ivan")).findFirst().orElseThrow();
      assertThat(ivan.fieldNames()).containsExactlyInAnyOrder("account", "role", "locked", "quota", "used");
      assertThat(ivan.getString("role")).isEqualTo("user");
      assertThat(ivan.getBoolean("locked")).isFalse();
      assertThat(ivan.getLong("quota")).isEqualTo(7000);
      assertThat(ivan.getLong("used")).isZero();
    }
    try (WireClient c = WireClient.connect(fixture.port())) {
      assertThat(login(c, "star", "pass*with*stars", "user")).startsWith("1*/home/star*");
    }
  }

  @Test
  void userdelKeepsFilesUnlessPurged() throws Exception {
    fixture.addUser("kim", "kim-pass-12", 1000);
    fixture.addUser("lee", "lee-pass-12", 1000);
    Files.writeString(fixture.home("kim").resolve("keep.txt"), "kept");
    Files.writeString(fixture.home("lee").resolve("gone.txt"), "gone");
    try (WireClient admin = fixture.admin()) {
      assertThat(admin.call("userdel", "kim")).isEqualTo("OK");
      assertThat(admin.call("userdel", "lee*purge")).isEqualTo("OK");
      assertThat(admin.call("userdel", "kim")).isEqualTo("0");
      assertThat(admin.call("userdel", "admin")).as("the admin cannot delete itself").isEqualTo(NO_PERMISSION);
    }
    assertThat(Files.readString(fixture.home("kim").resolve("keep.txt"))).isEqualTo("kept");
    assertThat(Files.exists(fixture.home("lee"))).isFalse();
    try (WireClient c = WireClient.connect(fixture.port())) {
      assertThat(login(c, "kim", "kim-pass-12", "user")).isEqualTo("0");
    }
  }

  @Test
  void passwordsChangeByTheAdminOrByTheirOwner() throws Exception {
    fixture.addUser("mia", "mia-pass-12", 1000);
    try (WireClient mia = WireClient.login(fixture.port(), "mia", "mia-pass-12", "user")) {
      assertThat(mia.call("passwd", "wrong-old*mia-pass-new")).isEqualTo("2");
      assertThat(mia.call("passwd", "mia-pass-12*short")).isEqualTo("WEAK_PASSWORD");
      assertThat(mia.call("passwd", "mia-pass-12*mia-pass-new")).isEqualTo("OK");
    }
    WireClient.login(fixture.port(), "mia", "mia-pass-new", "user").close();
    try (WireClient admin = fixture.admin()) {
      assertThat(admin.call("passwd", "mia*mia-by-admin")).isEqualTo("OK");
      assertThat(admin.call("passwd", "nosuch*whatever-1")).isEqualTo("0");
    }
    WireClient.login(fixture.port(), "mia", "mia-by-admin", "user").close();
  }

  /**
   * A password change revokes the account's tokens: every other session of the account ends
   * within seconds, while the session that changed its own password goes on with a fresh token.
   */
  @Test
  void aPasswordChangeEndsTheAccountsOtherSessions() throws Exception {
    fixture.addUser("ola", "ola-pass-123", 1000);
    ExecutorService watcher = Executors.newSingleThreadExecutor();
    try (WireClient changer = WireClient.login(fixture.port(), "ola", "ola-pass-123", "user");
         WireClient other = WireClient.login(fixture.port(), "ola", "ola-pass-123", "user")) {
      String made = changer.call("mkdir", "before");
      Future<Boolean> otherClosed = watcher.submit(other::closedByServer);
      assertThat(changer.call("passwd", "ola-pass-123*ola-pass-456")).isEqualTo("OK");
      assertThat(otherClosed.get(5, TimeUnit.SECONDS)).as("the other session ends").isTrue();
      assertThat(changer.call("mkdir", "after")).as("the changing session goes on").isEqualTo(made);
      assertThat(Files.isDirectory(fixture.home("ola").resolve("after"))).isTrue();

      // The admin's change of it ends that session too.
      Future<Boolean> changerClosed = watcher.submit(changer::closedByServer);
      try (WireClient admin = fixture.admin()) {
        assertThat(admin.call("passwd", "ola*ola-by-admin-1")).isEqualTo("OK");
      }
      assertThat(changerClosed.get(5, TimeUnit.SECONDS)).as("the admin's change ends it").isTrue();
    } finally {
      watcher.shutdownNow();
    }
  }

  @Test
  void usersMayNotRunAdminCommands() throws Exception {
    fixture.addUser("ned", "ned-pass-12", 1000);
    try (WireClient ned = WireClient.login(fixture.port(), "ned", "ned-pass-12", "user")) {
      assertThat(ned.call("useradd", "x1*pass-word-1*user*1")).isEqualTo(NO_PERMISSION);
      assertThat(ned.call("userdel", "admin")).isEqualTo(NO_PERMISSION);
      assertThat(ned.call("lock", "admin")).isEqualTo(NO_PERMISSION);
      assertThat(ned.call("unlock", "ned")).isEqualTo(NO_PERMISSION);
      assertThat(ned.call("setquota", "ned*999999999")).isEqualTo(NO_PERMISSION);
      assertThat(ned.call("users", "")).isEqualTo(NO_PERMISSION);
    }
  }

  @Test
  void theStoreHoldsOnlySlowSaltedHashes() throws Exception {
    fixture.addUser("olga", "olga-clear-secret", 1000);
    String users = fixture.storedAccounts();
    assertThat(users).doesNotContain("olga-clear-secret").doesNotContain(ServerFixture.ADMIN_PASSWORD);
    assertThat(users).contains("olga").contains("$pbkdf2$");
  }

  private static JsonArray users(WireClient admin) throws Exception {
    return new JsonArray(admin.call("users", ""));
  }
}
