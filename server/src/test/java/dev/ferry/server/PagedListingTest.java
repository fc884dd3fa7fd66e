package dev.ferry.server;

import dev.ferry.protocol.Header;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A home of 1,500 entries with long names, whose whole listing would take about 170 KB: every
 * answer that carries a listing ({@code login}, {@code view}, each {@code list} page) stays
 * within the 64 KiB header, and the {@code list} pages together hold every entry once, in order.
 */
class PagedListingTest {

  private static final int ENTRIES = 1500;
  private static final int MAX_HEADER = 65536;

  @TempDir
  static Path data;
  static ServerFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = ServerFixture.start(data, new JsonObject());
    fixture.addUser("alice", "alice-pass-1", 1_000_000);
    Path home = fixture.home("alice");
    for (int i = 0; i < ENTRIES; i++) {
      Files.writeString(home.resolve(name(i)), "");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  private static String name(int i) {
    return String.format("%05d-", i) + "\"quoted\"-".repeat(8) + ".txt";
  }

  /** The bytes of the header the client received for an answer with this data. */
  private static int headerBytes(Header answer) {
    return new JsonObject().put("account", answer.account()).put("password", answer.password())
      .put("cmd", answer.cmd()).put("data", answer.data()).encode().getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void loginAndViewAnswerTheFirstPageWithinTheHeaderLimit() throws Exception {
    try (WireClient client = WireClient.connect(fixture.port())) {
      Header login = client.call(new Header("alice", "alice-pass-1", "login", "user"));
      assertThat(headerBytes(login)).isLessThanOrEqualTo(MAX_HEADER);
      JsonArray atLogin = new JsonArray(login.data().substring("1*/home/alice*".length()));
      Header view = client.call(new Header("alice", "", "view", ""));
      assertThat(headerBytes(view)).isLessThanOrEqualTo(MAX_HEADER);
      JsonArray viewed = new JsonArray(view.data());
      assertThat(viewed.size()).isGreaterThan(10).isLessThan(ENTRIES);
      assertThat(viewed.getJsonObject(0).getString("name")).isEqualTo(name(0));
      assertThat(atLogin).isEqualTo(viewed);
    }
  }

  @Test
  void listPagesHoldEveryEntryOnceInOrder() throws Exception {
    try (WireClient client = WireClient.login(fixture.port(), "alice", "alice-pass-1", "user")) {
      List<String> names = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      while (true) {
        Header answer = client.call(new Header("alice", "", "list", cursor == null ? "/home/alice" : "/home/alice*" + cursor));
        assertThat(headerBytes(answer)).isLessThanOrEqualTo(MAX_HEADER);
        pages++;
        String listing;
        if (answer.data().startsWith("LAST*")) {
          listing = answer.data().substring("LAST*".length());
          cursor = null;
        } else {
          assertThat(answer.data()).startsWith("MORE*");
          int end = answer.data().indexOf('*', "MORE*".length());
          cursor = answer.data().substring("MORE*".length(), end);
          listing = answer.data().substring(end + 1);
        }
        new JsonArray(listing).forEach(e -> names.add(((JsonObject) e).getString("name")));
        if (cursor == null) {
          break;
        }
      }
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < ENTRIES; i++) {
        expected.add(name(i));
      }
      assertThat(pages).isGreaterThan(2);
      assertThat(names).containsExactlyElementsOf(expected);
      assertThat(client.call("list", "/home/alice*x/bad")).isEqualTo("BAD_ARGUMENTS");
      assertThat(client.call("list", "/home/bob")).isEqualTo("没有访问权限!");
      assertThat(client.call("list", "missing")).isEqualTo("路径不存在!");
    }
  }
}
