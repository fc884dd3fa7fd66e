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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Every session command of PROTOCOL.md section 3 end to end: real TLS, real services, real files. */
@ParameterizedClass(name = "{0} account store")
@FieldSource("dev.ferry.server.ServerFixture#ACCOUNT_STORES")
class SessionCommandsTest {

  private static final String NO_PERMISSION = "没有访问权限!";
  private static final String NO_SUCH_PATH = "路径不存在!";

  @TempDir
  static Path work;
  static ServerFixture fixture;
  @Parameter
  String store;

  @BeforeParameterizedClassInvocation
  static void start(String store) throws Exception {
    fixture = ServerFixture.start(work.resolve(store), ServerFixture.accountStore(store));
    fixture.addUser("alice", "alice-pass-1", 1_000_000);
    fixture.addUser("bob", "bob-pass-12", 1_000_000);
  }

  @AfterParameterizedClassInvocation
  static void stop() throws Exception {
    fixture.close();
  }

  private WireClient alice() throws Exception {
    return WireClient.login(fixture.port(), "alice", "alice-pass-1", "user");
  }

  @Test
  void greetsAndNeverEchoesThePassword() throws Exception {
    try (WireClient client = WireClient.connect(fixture.port())) {
      assertThat(client.greeting().cmd()).isEqualTo("hello");
      assertThat(client.greeting().data()).isEqualTo("FERRY*1");
      Header reply = client.call(new Header("alice", "alice-pass-1", "login", "user"));
      assertThat(reply.cmd()).isEqualTo("login");
      assertThat(reply.password()).isEmpty();
      assertThat(reply.data()).startsWith("1*/home/alice*[");
      Header view = client.call(new Header("alice", "alice-pass-1", "view", ""));
      assertThat(view.password()).isEmpty();
    }
  }

  @Test
  void adminLoginShowsTheWholeTree() throws Exception {
    try (WireClient client = WireClient.connect(fixture.port())) {
      String reply = client.call(new Header("admin", ServerFixture.ADMIN_PASSWORD, "login", "admin")).data();
      assertThat(reply).startsWith("1*/*");
      JsonArray listing = new JsonArray(reply.substring("1*/*".length()));
      assertThat(listing.stream().map(o -> ((JsonObject) o).getString("name"))).contains("home");
      assertThat(client.call("view", "/home")).contains("\"alice\"", "\"bob\"");
    }
  }

  @Test
  void beforeLoginEveryCommandButLoginIsRefused() throws Exception {
    try (WireClient client = WireClient.connect(fixture.port())) {
      for (String cmd : new String[] {"view", "cd", "pwd", "mkdir", "rm", "rename", "quota", "checksum", "users", "useradd"}) {
        assertThat(client.call(cmd, "x")).as(cmd).isEqualTo("NOT_LOGGED_IN");
      }
    }
  }

  @Test
  void aFrameForAnotherAccountIsRefused() throws Exception {
    try (WireClient client = alice()) {
      assertThat(client.call(new Header("bob", "", "view", "")).data()).isEqualTo("NOT_LOGGED_IN");
      assertThat(client.call(new Header("alice", "", "pwd", "")).data()).isEqualTo("/home/alice");
    }
  }

  @Test
  void unknownCommandKeepsTheConnection() throws Exception {
    try (WireClient client = alice()) {
      Header reply = client.call(new Header("", "", "fly", ""));
      assertThat(reply.cmd()).isEqualTo("fly");
      assertThat(reply.data()).isEqualTo("UNKNOWN_COMMAND");
      assertThat(client.call("pwd", "")).isEqualTo("/home/alice");
    }
  }

  @Test
  void directoriesCanBeMadeEnteredRenamedAndRemoved() throws Exception {
    try (WireClient c = alice()) {
      assertThat(c.call("mkdir", "docs")).isEqualTo("OK");
      assertThat(c.call("mkdir", "docs")).isEqualTo("ALREADY_EXISTS");
      assertThat(c.call("mkdir", "no/such/parent")).isEqualTo(NO_SUCH_PATH);
      assertThat(c.call("cd", "docs")).isEqualTo("OK*/home/alice/docs");
      assertThat(c.call("pwd", "")).isEqualTo("/home/alice/docs");
      assertThat(c.call("mkdir", "/home/alice/docs/inner")).isEqualTo("OK");
      assertThat(c.call("cd", "..")).isEqualTo("OK*/home/alice");
      JsonArray listing = new JsonArray(c.call("view", ""));
      JsonObject docs = listing.stream().map(JsonObject.class::cast).filter(e -> e.getString("name").equals("docs")).findFirst().orElseThrow();
      assertThat(docs.getString("type")).isEqualTo("dir");
      assertThat(docs.getLong("mtime")).isPositive();
      assertThat(c.call("rm", "docs")).isEqualTo("NOT_EMPTY");
      assertThat(c.call("rename", "docs*papers")).isEqualTo("OK");
      assertThat(c.call("cd", "docs")).isEqualTo(NO_SUCH_PATH);
      assertThat(c.call("rm", "papers/inner")).isEqualTo("OK");
      assertThat(c.call("rm", "papers")).isEqualTo("OK");
      assertThat(c.call("rm", "papers")).isEqualTo(NO_SUCH_PATH);
      assertThat(Files.exists(fixture.home("alice").resolve("papers"))).isFalse();
    }
  }

  @Test
  void listingsAreDirectoriesFirstThenByNameWithSizes() throws Exception {
    Path home = fixture.home("alice").resolve("sorted");
    Files.createDirectories(home.resolve("zdir"));
    Files.writeString(home.resolve("a.txt"), "hello");
    Files.writeString(home.resolve("b.txt"), "");
    try (WireClient c = alice()) {
      JsonArray listing = new JsonArray(c.call("view", "sorted"));
      assertThat(listing.stream().map(o -> ((JsonObject) o).getString("name"))).containsExactly("zdir", "a.txt", "b.txt");
      JsonObject a = listing.getJsonObject(1);
      assertThat(a.fieldNames()).containsExactlyInAnyOrder("name", "type", "size", "mtime");
      assertThat(a.getString("type")).isEqualTo("file");
      assertThat(a.getLong("size")).isEqualTo(5);
      JsonArray single = new JsonArray(c.call("view", "sorted/a.txt"));
      assertThat(single).hasSize(1);
      assertThat(single.getJsonObject(0).getString("name")).isEqualTo("a.txt");
      assertThat(c.call("cd", "sorted/a.txt")).isEqualTo("NOT_A_DIRECTORY");
    }
  }

  @Test
  void renameAndMkdirRefuseBadNamesAndExistingTargets() throws Exception {
    try (WireClient c = alice()) {
      assertThat(c.call("mkdir", "bad\\name")).isEqualTo("BAD_NAME");
      assertThat(c.call("mkdir", "a*b")).isEqualTo("BAD_NAME");
      assertThat(c.call("mkdir", "x".repeat(256))).isEqualTo("BAD_NAME");
      assertThat(c.call("mkdir", "ren1")).isEqualTo("OK");
      assertThat(c.call("mkdir", "ren2")).isEqualTo("OK");
      assertThat(c.call("rename", "ren1*ren2")).isEqualTo("ALREADY_EXISTS");
      assertThat(c.call("rename", "ren1*/home/bob/stolen")).isEqualTo(NO_PERMISSION);
      assertThat(c.call("rename", "nothere*ren3")).isEqualTo(NO_SUCH_PATH);
    }
  }

  @Test
  void checksumIsTheSha256OfTheFile() throws Exception {
    byte[] content = "the quick brown fox".getBytes(StandardCharsets.UTF_8);
    Files.write(fixture.home("alice").resolve("fox.txt"), content);
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    try (WireClient c = alice()) {
      assertThat(c.call("checksum", "fox.txt")).isEqualTo(content.length + "*" + expected);
      assertThat(c.call("checksum", "nothing.txt")).isEqualTo("file_not_exists");
      assertThat(c.call("checksum", "/home/alice")).isEqualTo("file_not_exists");
      assertThat(c.call("checksum", "/home/bob/x")).isEqualTo(NO_PERMISSION);
    }
  }

  @Test
  void hostilePathsNeverLeaveTheHome() throws Exception {
    Path aliceHome = fixture.home("alice");
    Files.writeString(fixture.home("bob").resolve("secret.txt"), "bob's");
    Files.createSymbolicLink(aliceHome.resolve("to-etc"), Path.of("/etc"));
    Files.createSymbolicLink(aliceHome.resolve("to-bob"), fixture.home("bob"));
    Files.createSymbolicLink(aliceHome.resolve("to-root"), fixture.data);
    try (WireClient c = alice()) {
      for (String path : new String[] {"/home/bob", "../bob", "../bob/secret.txt", "/../../etc", "/", "/home", "..",
        "/home/alice/../bob", "//home//bob", "to-etc", "to-bob", "to-bob/secret.txt", "to-root", "to-root/users.json",
        "/home/bob/does-not-exist"}) {
        assertThat(c.call("view", path)).as("view " + path).isEqualTo(NO_PERMISSION);
        assertThat(c.call("cd", path)).as("cd " + path).isEqualTo(NO_PERMISSION);
      }
      assertThat(c.call("checksum", "to-bob/secret.txt")).isEqualTo(NO_PERMISSION);
      assertThat(c.call("mkdir", "to-bob/planted")).isEqualTo(NO_PERMISSION);
      assertThat(c.call("rm", "/home/bob/secret.txt")).isEqualTo(NO_PERMISSION);
      assertThat(c.call("view", "/home/alice/does-not-exist")).isEqualTo(NO_SUCH_PATH);
      assertThat(c.call("pwd", "")).isEqualTo("/home/alice");
      String listing = c.call("view", "");
      assertThat(listing).doesNotContain(fixture.data.toString());
    }
    assertThat(Files.exists(fixture.home("bob").resolve("planted"))).isFalse();
    assertThat(Files.readString(fixture.home("bob").resolve("secret.txt"))).isEqualTo("bob's");
  }

  @Test
  void quotaAnswersUsedAndLimit() throws Exception {
    try (WireClient c = alice()) {
      String[] fields = c.call("quota", "").split("\\*");
      assertThat(fields).hasSize(2);
      assertThat(Long.parseLong(fields[0])).isNotNegative();
      assertThat(fields[1]).isEqualTo("1000000");
      assertThat(c.call("quota", "alice")).isEqualTo(c.call("quota", ""));
      assertThat(c.call("quota", "bob")).isEqualTo(NO_PERMISSION);
    }
    fixture.addUser("quinn", "quinn-pass-1", 2_000_000);
    Files.write(fixture.home("quinn").resolve("q.bin"), new byte[1234]);
    try (WireClient admin = fixture.admin()) {
      assertThat(admin.call("quota", "quinn")).isEqualTo("1234*2000000");
      assertThat(admin.call("quota", "")).endsWith("*0");
      assertThat(admin.call("quota", "nosuchuser")).isEqualTo("0");
    }
  }

  @Test
  void logoutSaysByeAndCloses() throws Exception {
    try (WireClient c = alice()) {
      assertThat(c.call("logout", "")).isEqualTo("BYE");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void aBadFrameOverTlsIsAnsweredAndClosed() throws Exception {
    try (WireClient c = alice()) {
      c.sendRaw(new byte[] {0, 0, 0, 0, 0, 0, 0, 0});
      Header reply = c.next();
      assertThat(reply.cmd()).isEqualTo("error");
      assertThat(reply.data()).isEqualTo("BAD_FRAME*HEADER_LENGTH");
      assertThat(c.closedByServer()).isTrue();
    }
    try (WireClient c = alice()) {
      assertThat(c.call("pwd", "")).isEqualTo("/home/alice");
    }
  }
}
