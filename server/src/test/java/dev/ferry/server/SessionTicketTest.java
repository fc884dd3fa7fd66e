package dev.ferry.server;

import dev.ferry.protocol.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session tickets ({@code ticket}, {@code ticket_login}, PROTOCOL.md) against a real server
 * process over TLS: a second connection logs in with a ticket and no password verify (counted
 * by the server's {@code ferry_password_verifies_total}); a ticket of another account, garbage,
 * a locked account and an expired ticket are refused as the protocol says.
 */
class SessionTicketTest {

  private static final String ADMIN_PASSWORD = "ticket-admin-1";
  private static final String PASSWORD = "ticket-user-pass";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path work;
  static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    server = start(work.resolve("main"), Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A server whose every password login runs a full verify (no credential cache). */
  private static ServerProcess start(Path dir, Map<String, String> settings) throws Exception {
    java.nio.file.Files.createDirectories(dir);
    Map<String, String> env = new HashMap<>(Map.of("FERRY_PORT", "0", "FERRY_DATA", dir.resolve("data").toString(),
      "FERRY_ADMIN_PASSWORD", ADMIN_PASSWORD, "FERRY_PBKDF2_ITERATIONS", "10000", "FERRY_CREDENTIAL_CACHE_SECONDS", "0"));
    env.putAll(settings);
    return ServerProcess.start(dir, env);
  }

  private static void addUser(ServerProcess on, String account) throws Exception {
    try (WireClient admin = WireClient.login(on.port, "admin", ADMIN_PASSWORD, "admin")) {
      assertThat(admin.call("useradd", account + "*" + PASSWORD + "*user*0")).isEqualTo("OK");
    }
  }

  private static String adminCall(String cmd, String data) throws Exception {
    try (WireClient admin = WireClient.login(server.port, "admin", ADMIN_PASSWORD, "admin")) {
      return admin.call(cmd, data);
    }
  }

  /** A ticket from a session logged in with the password. */
  private static String ticketOf(ServerProcess on, String account) throws Exception {
    try (WireClient first = WireClient.login(on.port, account, PASSWORD, "user")) {
      String ticket = first.call("ticket", "");
      assertThat(ticket).contains(".").hasSizeLessThanOrEqualTo(512).matches("[A-Za-z0-9._-]+");
      return ticket;
    }
  }

  private static String ticketLogin(WireClient client, String account, String ticket) throws Exception {
    return client.call(new Header(account, "", "ticket_login", ticket)).data();
  }

  @Test
  void aSecondAndThirdConnectionLogInWithTheTicketAndNoPasswordVerify() throws Exception {
    addUser(server, "tina");
    double before = verifies(server);
    String ticket = ticketOf(server, "tina");
    double afterPasswordLogin = verifies(server);
    try (WireClient second = WireClient.connect(server.port); WireClient third = WireClient.connect(server.port)) {
      assertThat(ticketLogin(second, "tina", ticket)).startsWith("1*/home/tina*[");
      assertThat(ticketLogin(third, "tina", ticket)).startsWith("1*/home/tina*[");
      assertThat(second.call("pwd", "")).isEqualTo("/home/tina");
      assertThat(third.call("mkdir", "made-on-a-ticket")).isEqualTo("OK");
      // The session a ticket opened may ask for a ticket itself.
      assertThat(second.call("ticket", "")).contains(".");
    }
    assertThat(afterPasswordLogin - before).as("the password login verified").isEqualTo(1.0);
    assertThat(verifies(server)).as("no verify for the ticket logins").isEqualTo(afterPasswordLogin);
  }

  @Test
  void anotherAccountsTicketAndGarbageAreRefusedAndCountAsFailedLoginsOfTheConnection() throws Exception {
    addUser(server, "uma");
    String ticket = ticketOf(server, "uma");
    try (WireClient client = WireClient.connect(server.port)) {
      assertThat(ticketLogin(client, "admin", ticket)).isEqualTo("2");
      assertThat(ticketLogin(client, "uma", "garbage")).isEqualTo("2");
      assertThat(client.call("pwd", "")).isEqualTo("NOT_LOGGED_IN");
      assertThat(ticketLogin(client, "uma", tampered(ticket))).isEqualTo("2");
      // PROTOCOL.md s3: the connection is closed after its 3rd failed login.
      assertThat(client.closedByServer()).isTrue();
    }
    try (WireClient client = WireClient.connect(server.port)) {
      assertThat(client.call("ticket", "")).isEqualTo("NOT_LOGGED_IN");
      assertThat(ticketLogin(client, "uma", ticket)).startsWith("1*/home/uma*");
    }
  }

  @Test
  void aTicketOfAnAccountLockedSinceIsRefused() throws Exception {
    addUser(server, "vera");
    String ticket = ticketOf(server, "vera");
    assertThat(adminCall("lock", "vera")).isEqualTo("OK");
    try (WireClient client = WireClient.connect(server.port)) {
      assertThat(ticketLogin(client, "vera", ticket)).isEqualTo("9");
    }
    assertThat(adminCall("unlock", "vera")).isEqualTo("OK");
    assertThat(adminCall("passwd", "vera*another-pass-1")).isEqualTo("OK");
    try (WireClient client = WireClient.connect(server.port)) {
      assertThat(ticketLogin(client, "vera", ticket)).as("a new password ends the ticket").isEqualTo("2");
    }
  }

  @Test
  void aTicketExpiresAfterSessionTicketSeconds() throws Exception {
    try (ServerProcess shortLived = start(work.resolve("short"), Map.of("FERRY_SESSION_TICKET_SECONDS", "1"))) {
      addUser(shortLived, "walt");
      String ticket = ticketOf(shortLived, "walt");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      String answer;
      do {
        // A fresh connection each time: refusals close a connection after its 3rd.
        try (WireClient client = WireClient.connect(shortLived.port)) {
          answer = ticketLogin(client, "walt", ticket);
        }
        if (answer.equals("2")) {
          break;
        }
        assertThat(answer).startsWith("1*");
        Thread.sleep(100);
      } while (System.nanoTime() < deadline);
      assertThat(answer).as("the ticket expired within the deadline").isEqualTo("2");
      // A fresh ticket works again: the refusal was the expiry.
      try (WireClient client = WireClient.connect(shortLived.port)) {
        String fresh;
        try (WireClient first = WireClient.login(shortLived.port, "walt", PASSWORD, "user")) {
          fresh = first.call("ticket", "");
          assertThat(ticketLogin(client, "walt", fresh)).startsWith("1*/home/walt*");
        }
      }
    }
  }

  /** The server's count of full password verifies, from its ops port. */
  private static double verifies(ServerProcess on) throws Exception {
    String ops = on.output.stream().filter(l -> l.startsWith("ferry metrics and health on ")).findFirst().orElseThrow()
      .substring("ferry metrics and health on ".length());
    HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(ops + "/metrics")).build(),
      HttpResponse.BodyHandlers.ofString());
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith("ferry_password_verifies_total ")) {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    throw new AssertionError("no ferry_password_verifies_total in " + metrics.body());
  }

  /**
   * {@code ticket} with one character in its middle changed: a middle character carries six
   * bits of the ticket, where the last one of a base64 text may carry unused ones.
   */
  private static String tampered(String ticket) {
    int middle = ticket.length() / 2;
    char changed = ticket.charAt(middle) == 'A' ? 'B' : 'A';
    return ticket.substring(0, middle) + changed + ticket.substring(middle + 1);
  }
}
