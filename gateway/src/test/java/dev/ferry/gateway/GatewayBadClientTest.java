package dev.ferry.gateway;

import dev.ferry.protocol.Frame;
import dev.ferry.protocol.FrameReader;
import dev.ferry.protocol.Header;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real gateway on 127.0.0.1, port 0, without TLS and without any service behind it, fed
 * hand-made bytes (vertx-mqtt's MqttServerBadClientTest style): everything that needs no
 * service is answered by the gateway itself.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class GatewayBadClientTest {

  private static final int MAX_PAYLOAD = 4096;

  private static Future<Integer> deploy(Vertx vertx, JsonObject overrides) {
    GatewayVerticle gateway = new GatewayVerticle();
    JsonObject config = new JsonObject()
      .put("host", "127.0.0.1")
      .put("port", 0)
      .put("tls", false)
      .put("maxPayload", MAX_PAYLOAD)
      .mergeIn(overrides);
    return vertx.deployVerticle(gateway, new DeploymentOptions().setConfig(config)).map(id -> gateway.actualPort());
  }

  private static Future<RawClient> greetedClient(Vertx vertx, JsonObject overrides) {
    return deploy(vertx, overrides).compose(port -> RawClient.greeted(vertx, port));
  }

  private static Buffer frame(String json, byte[] payload) {
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    return prefix(header.length, payload.length).appendBytes(header).appendBytes(payload);
  }

  private static Buffer prefix(long headerLength, long payloadLength) {
    return Buffer.buffer().appendUnsignedInt(headerLength).appendUnsignedInt(payloadLength);
  }

  private static Buffer frame(String cmd) {
    return Frame.encode(new Header("", "", cmd, ""), null);
  }

  @Test
  void greetsWithProductAndVersion(Vertx vertx, VertxTestContext test) {
    deploy(vertx, new JsonObject())
      .compose(port -> RawClient.connect(vertx, port))
      .compose(RawClient::next)
      .onComplete(test.succeeding(greeting -> test.verify(() -> {
        assertThat(greeting).isEqualTo(new Header("", "", "hello", "FERRY*1"));
        test.completeNow();
      })));
  }

  static Stream<Arguments> badFrames() {
    return Stream.of(
      Arguments.of(prefix(0, 0), "HEADER_LENGTH"),
      Arguments.of(prefix(Frame.MAX_HEADER_LENGTH + 1, 0), "HEADER_LENGTH"),
      Arguments.of(prefix(1L << 31, 0), "HEADER_LENGTH"),
      Arguments.of(prefix(13, MAX_PAYLOAD + 1), "PAYLOAD_TOO_LARGE"),
      Arguments.of(prefix(13, 0xFFFF_FFFFL), "PAYLOAD_TOO_LARGE"),
      Arguments.of(prefix(4, 0).appendBytes(new byte[] {'"', (byte) 0xFF, '"', ' '}), "NOT_UTF8"),
      Arguments.of(frame("cmd=pwd", new byte[0]), "NOT_JSON_OBJECT"),
      Arguments.of(frame("[\"pwd\"]", new byte[0]), "NOT_JSON_OBJECT"),
      Arguments.of(frame("{\"cmd\":\"pwd\",\"data\":1}", new byte[0]), "FIELD_NOT_STRING"),
      Arguments.of(frame("{\"data\":\"x\"}", new byte[0]), "NO_CMD"),
      Arguments.of(frame("{\"cmd\":\"\"}", new byte[0]), "NO_CMD"),
      Arguments.of(frame("{\"cmd\":\"pwd\"}", new byte[] {1, 2}), "UNEXPECTED_PAYLOAD"),
      // Before login no header may pass maxLoginHeader (4096 by default), and no payload is taken.
      Arguments.of(prefix(4097, 0), "HEADER_LENGTH"),
      Arguments.of(prefix(Frame.MAX_HEADER_LENGTH, 0), "HEADER_LENGTH"),
      Arguments.of(frame("{\"cmd\":\"uploading\",\"data\":\"0\"}", new byte[MAX_PAYLOAD]), "UNEXPECTED_PAYLOAD"));
  }

  /** PROTOCOL.md s1: one reply {"cmd":"error","data":"BAD_FRAME*<reason>"}, then the close. */
  @ParameterizedTest(name = "{1}")
  @MethodSource("badFrames")
  void badFrameIsAnsweredThenClosed(Buffer bytes, String reason, Vertx vertx, VertxTestContext test) {
    greetedClient(vertx, new JsonObject()).onComplete(test.succeeding(client -> client.send(bytes)
      .compose(v -> client.next())
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.cmd()).isEqualTo("error");
        assertThat(reply.data()).isEqualTo("BAD_FRAME*" + reason);
        assertThat(reply.password()).isEmpty();
        client.closed().onComplete(test.succeedingThenComplete());
      })))));
  }

  /** Only the 8 length bytes are sent: the answer cannot have waited for, or allocated, 2 GiB. */
  @Test
  void hugeDeclaredLengthIsRefusedAtOnce(Vertx vertx, VertxTestContext test) {
    greetedClient(vertx, new JsonObject()).onComplete(test.succeeding(client -> client.send(prefix(1L << 31, 0))
      .compose(v -> client.next())
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.data()).isEqualTo("BAD_FRAME*HEADER_LENGTH");
        client.closed().onComplete(test.succeedingThenComplete());
      })))));
  }

  @Test
  void nothingAfterABadFrameIsAnswered(Vertx vertx, VertxTestContext test) {
    Buffer bytes = frame("{\"cmd\":\"pwd\",\"data\":false}", new byte[0]).appendBuffer(frame("pwd")).appendBuffer(frame("view"));
    greetedClient(vertx, new JsonObject()).onComplete(test.succeeding(client -> client.send(bytes)
      .compose(v -> client.next())
      .compose(reply -> client.closed().map(reply))
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(reply.data()).isEqualTo("BAD_FRAME*FIELD_NOT_STRING");
        assertThat(client.unread()).isZero();
        test.completeNow();
      })))));
  }

  @Test
  void unknownCommandKeepsTheConnectionUsable(Vertx vertx, VertxTestContext test) {
    List<Header> replies = new ArrayList<>();
    greetedClient(vertx, new JsonObject()).onComplete(test.succeeding(client -> client.call("fly", "")
      .compose(reply -> {
        replies.add(reply);
        return client.call("hello", "FERRY*1");
      })
      .compose(reply -> {
        replies.add(reply);
        return client.call("error", "");
      })
      .compose(reply -> {
        replies.add(reply);
        return client.call("pwd", "");
      })
      .onComplete(test.succeeding(last -> test.verify(() -> {
        assertThat(replies).extracting(Header::cmd).containsExactly("fly", "hello", "error");
        assertThat(replies).extracting(Header::data).containsOnly("UNKNOWN_COMMAND");
        assertThat(last).isEqualTo(new Header("", "", "pwd", "NOT_LOGGED_IN"));
        test.completeNow();
      })))));
  }

  /**
   * All frames go in one write: the answers come one per frame, in order (PROTOCOL.md s1),
   * and before login every command but login answers NOT_LOGGED_IN (s3).
   */
  @Test
  void everyCommandBeforeLoginIsRefusedInOrder(Vertx vertx, VertxTestContext test) {
    List<String> commands = List.of("view", "cd", "pwd", "mkdir", "rm", "rename", "quota", "checksum", "logout",
      "useradd", "userdel", "passwd", "lock", "unlock", "setquota", "users");
    Buffer all = Buffer.buffer();
    commands.forEach(cmd -> all.appendBuffer(Frame.encode(new Header("alice", "pw", cmd, "x"), null)));
    greetedClient(vertx, new JsonObject()).onComplete(test.succeeding(client -> {
      List<Header> replies = new ArrayList<>();
      Future<Void> chain = client.send(all);
      for (int i = 0; i < commands.size(); i++) {
        chain = chain.compose(v -> client.next()).map(reply -> {
          replies.add(reply);
          return null;
        });
      }
      chain.compose(v -> client.call("pwd", "")).onComplete(test.succeeding(stillOpen -> test.verify(() -> {
        assertThat(replies).extracting(Header::cmd).containsExactlyElementsOf(commands);
        assertThat(replies).extracting(Header::data).containsOnly("NOT_LOGGED_IN");
        assertThat(replies).extracting(Header::password).containsOnly("");
        assertThat(stillOpen.data()).isEqualTo("NOT_LOGGED_IN");
        test.completeNow();
      })));
    }));
  }

  /** PROTOCOL.md s3: before login every command but login answers NOT_LOGGED_IN, transfers too. */
  @Test
  void transferCommandsNeedALogin(Vertx vertx, VertxTestContext test) {
    List<Header> replies = new ArrayList<>();
    greetedClient(vertx, new JsonObject()).onComplete(test.succeeding(client -> client.call("download", "/a")
      .compose(reply -> {
        replies.add(reply);
        return client.call("upload", "/*a*1");
      })
      .compose(reply -> {
        replies.add(reply);
        return client.call("download_RES", "READY*0");
      })
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        replies.add(reply);
        assertThat(replies).extracting(Header::cmd).containsExactly("download", "upload", "download_RES");
        assertThat(replies).extracting(Header::data).containsOnly("NOT_LOGGED_IN");
        test.completeNow();
      })))));
  }

  @Test
  void aHeaderOfExactlyTheLoginLimitIsAnsweredBeforeLogin(Vertx vertx, VertxTestContext test) {
    String head = "{\"cmd\":\"pwd\",\"data\":\"";
    String json = head + "a".repeat(4096 - head.length() - 2) + "\"}";
    greetedClient(vertx, new JsonObject()).onComplete(test.succeeding(client -> client.send(frame(json, new byte[0]))
      .compose(v -> client.next())
      .onComplete(test.succeeding(reply -> test.verify(() -> {
        assertThat(json.length()).isEqualTo(4096);
        assertThat(reply).isEqualTo(new Header("", "", "pwd", "NOT_LOGGED_IN"));
        test.completeNow();
      })))));
  }

  /** PROTOCOL.md s3: 2 answers a role the account does not have; the 3rd failure closes. */
  @Test
  void thirdFailedLoginClosesTheConnection(Vertx vertx, VertxTestContext test) {
    Header badRole = new Header("alice", "alice-secret-pw", "login", "root");
    List<Header> replies = new ArrayList<>();
    greetedClient(vertx, new JsonObject()).onComplete(test.succeeding(client -> client.call(badRole)
      .compose(reply -> {
        replies.add(reply);
        return client.call(badRole);
      })
      .compose(reply -> {
        replies.add(reply);
        return client.call(badRole);
      })
      .compose(reply -> {
        replies.add(reply);
        return client.closed();
      })
      .onComplete(test.succeeding(closed -> test.verify(() -> {
        assertThat(replies).extracting(Header::data).containsExactly("2", "2", "2");
        assertThat(replies).extracting(Header::password).containsOnly("");
        assertThat(replies.toString()).doesNotContain("alice-secret-pw");
        test.completeNow();
      })))));
  }

  /** No auth service is deployed: the failure is answered ERROR, without detail, and the session goes on. */
  @Test
  void anUnreachableServiceIsAnsweredWithoutDetail(Vertx vertx, VertxTestContext test) {
    greetedClient(vertx, new JsonObject()).onComplete(test.succeeding(client -> client.call(new Header("alice", "pw", "login", "user"))
      .compose(reply -> client.call("pwd", "").map(next -> List.of(reply, next)))
      .onComplete(test.succeeding(replies -> test.verify(() -> {
        assertThat(replies.get(0)).isEqualTo(new Header("", "", "login", "ERROR"));
        assertThat(replies.get(1).data()).isEqualTo("NOT_LOGGED_IN");
        test.completeNow();
      })))));
  }

  @Test
  void connectionThatDoesNotLogInInTimeIsClosed(Vertx vertx, VertxTestContext test) {
    long[] greetedAt = new long[1];
    greetedClient(vertx, new JsonObject().put("loginTimeoutSeconds", 1))
      .compose(client -> {
        greetedAt[0] = System.nanoTime();
        return client.closed();
      })
      .onComplete(test.succeeding(closed -> test.verify(() -> {
        assertThat(System.nanoTime() - greetedAt[0]).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(800));
        test.completeNow();
      })));
  }

  @Test
  void idleConnectionIsClosed(Vertx vertx, VertxTestContext test) {
    greetedClient(vertx, new JsonObject().put("loginTimeoutSeconds", 60).put("idleTimeoutSeconds", 1))
      .compose(client -> client.call("pwd", "").compose(reply -> client.closed()))
      .onComplete(test.succeedingThenComplete());
  }

  /**
   * A client that closes its side after its last command (a half-close) gets every answer, then
   * the server closes too, instead of keeping the connection until the idle timeout.
   */
  @Test
  void aClientThatClosesItsSideIsAnsweredThenClosed(Vertx vertx, VertxTestContext test) {
    deploy(vertx, new JsonObject()).compose(port -> vertx.executeBlocking(() -> {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(5_000);
        socket.getOutputStream().write(frame("pwd").appendBuffer(frame("fly")).getBytes());
        socket.shutdownOutput();
        FrameReader in = FrameReader.ofServer(socket.getInputStream());
        List<String> answers = new ArrayList<>();
        for (Frame f = in.read(); f != null; f = in.read()) {
          answers.add(f.header().cmd() + " " + f.header().data());
        }
        return answers;
      }
    }, false)).onComplete(test.succeeding(answers -> test.verify(() -> {
      assertThat(answers).containsExactly("hello FERRY*1", "pwd NOT_LOGGED_IN", "fly UNKNOWN_COMMAND");
      test.completeNow();
    })));
  }

  @Test
  void undeployClosesOpenConnections(Vertx vertx, VertxTestContext test) {
    GatewayVerticle gateway = new GatewayVerticle();
    JsonObject config = new JsonObject().put("port", 0).put("tls", false);
    vertx.deployVerticle(gateway, new DeploymentOptions().setConfig(config))
      .compose(id -> RawClient.greeted(vertx, gateway.actualPort())
        .compose(client -> vertx.undeploy(id).compose(v -> client.closed())))
      .onComplete(test.succeedingThenComplete());
  }

  @Test
  void tlsWithoutCertificatePathsFailsToStart(Vertx vertx, VertxTestContext test) {
    vertx.deployVerticle(new GatewayVerticle(), new DeploymentOptions().setConfig(new JsonObject().put("port", 0).put("tls", true)))
      .onComplete(test.failing(error -> test.verify(() -> {
        assertThat(error).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tlsCertPath");
        test.completeNow();
      })));
  }

  /** Each connection limit: the connection over it is answered BUSY and closed; those in keep working. */
  static Stream<Arguments> connectionLimits() {
    return Stream.of(
      Arguments.of("maxConnections", "127.0.0.1", "BUSY*CONNECTIONS"),
      Arguments.of("maxUnauthenticatedConnections", "127.0.0.1", "BUSY*UNAUTHENTICATED"),
      Arguments.of("maxConnectionsPerAddress", "127.0.0.1", "BUSY*ADDRESS"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("connectionLimits")
  void theConnectionOverALimitIsAnsweredBusyAndTheOthersGoOn(String limit, String from, String answer, Vertx vertx,
                                                             VertxTestContext test) {
    deploy(vertx, new JsonObject().put(limit, 2)).onComplete(test.succeeding(port -> RawClient.greeted(vertx, port)
      .compose(first -> RawClient.greeted(vertx, port).compose(second -> RawClient.connectFrom(vertx, port, from)
        .compose(third -> third.next().compose(refusal -> third.closed().map(refusal)))
        .compose(refusal -> first.call("pwd", "").compose(a -> second.call("pwd", "").map(b -> List.of(refusal, a, b))))
        .compose(replies -> first.close().map(replies))
        // Once one closes, its place is free again (the server may need a moment to see the close).
        .compose(replies -> greetedWithin(vertx, port, from, 5).map(replies))))
      .onComplete(test.succeeding(replies -> test.verify(() -> {
        assertThat(replies.get(0)).isEqualTo(new Header("", "", "error", answer));
        assertThat(replies.get(1).data()).isEqualTo("NOT_LOGGED_IN");
        assertThat(replies.get(2).data()).isEqualTo("NOT_LOGGED_IN");
        test.completeNow();
      })))));
  }

  @Test
  void connectionsPerAddressAreCountedPerAddress(Vertx vertx, VertxTestContext test) {
    deploy(vertx, new JsonObject().put("maxConnectionsPerAddress", 1)).onComplete(test.succeeding(port ->
      RawClient.greeted(vertx, port)
        .compose(first -> RawClient.connectFrom(vertx, port, "127.0.0.2").compose(RawClient::next))
        .onComplete(test.succeeding(greeting -> test.verify(() -> {
          assertThat(greeting.cmd()).isEqualTo("hello");
          test.completeNow();
        })))));
  }

  /** A greeted connection from {@code from}, retried while the server still counts a closed one. */
  private static Future<RawClient> greetedWithin(Vertx vertx, int port, String from, int tries) {
    return RawClient.connectFrom(vertx, port, from).compose(client -> client.next().compose(first -> {
      if (first.cmd().equals("hello")) {
        return Future.succeededFuture(client);
      }
      if (tries <= 1) {
        return Future.failedFuture("still refused: " + first.data());
      }
      return client.closed().compose(v -> greetedWithin(vertx, port, from, tries - 1));
    }));
  }

  @Test
  void beforeLoginAFrameBegunMustBeFinishedInTime(Vertx vertx, VertxTestContext test) {
    Buffer login = Frame.encode(new Header("alice", "secret", "login", "user"), null);
    deploy(vertx, new JsonObject().put("loginStallSeconds", 1)).onComplete(test.succeeding(port ->
      RawClient.greeted(vertx, port).compose(slow -> slow.send(login.getBuffer(0, 12)).compose(v -> slow.closed()))
        .onComplete(test.succeedingThenComplete())));
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAtTheLoginTimeout(Vertx vertx, VertxTestContext test) {
    deploy(vertx, new JsonObject().put("loginTimeoutSeconds", 1)).onComplete(test.succeeding(port ->
      RawClient.greeted(vertx, port).compose(RawClient::closed).onComplete(test.succeedingThenComplete())));
  }

  @Test
  void whenFrameMemoryIsSpentStrangersAreClosedAndTheRestAnswered(Vertx vertx, VertxTestContext test) {
    String head = "{\"cmd\":\"pwd\",\"data\":\"";
    byte[] header = (head + "a".repeat(4096 - head.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
    Buffer begun = prefix(header.length, 0).appendBytes(header, 0, 4000);
    Buffer rest = Buffer.buffer().appendBytes(header, 4000, header.length - 4000);
    int clients = 17; // 16 x 4000 bytes fit in 64 KiB of frame memory, 17 do not
    deploy(vertx, new JsonObject().put("frameMemory", 65536)).onComplete(test.succeeding(port -> {
      List<Future<RawClient>> connected = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        connected.add(RawClient.greeted(vertx, port).compose(client -> client.send(begun).map(client)));
      }
      Future.all(connected).compose(all -> {
        List<Future<Header>> answers = connected.stream().map(c -> c.result().next()).toList();
        // The rest is sent once a refusal came: an early header completed before would give its
        // memory back, and a late one would fit.
        return Future.any(answers).compose(first -> {
          for (int i = 0; i < clients; i++) {
            if (!answers.get(i).isComplete()) {
              connected.get(i).result().send(rest);
            }
          }
          return Future.join(answers).transform(done -> Future.succeededFuture(answers));
        });
      }).onComplete(test.succeeding(answers -> test.verify(() -> {
        List<String> data = answers.stream().map(a -> a.succeeded() ? a.result().data() : "closed").toList();
        assertThat(data).contains("BUSY*MEMORY").allMatch(d -> d.equals("BUSY*MEMORY") || d.equals("NOT_LOGGED_IN"));
        assertThat(data.stream().filter(d -> d.equals("NOT_LOGGED_IN")).count()).isGreaterThanOrEqualTo(15);
        test.completeNow();
      })));
    }));
  }
}
