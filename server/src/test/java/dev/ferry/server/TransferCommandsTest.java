package dev.ferry.server;

import dev.ferry.protocol.Frame;
import dev.ferry.protocol.Header;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static dev.ferry.server.WireTransfers.CHUNK;
import static dev.ferry.server.WireTransfers.random;
import static dev.ferry.server.WireTransfers.sha256;
import static dev.ferry.server.WireTransfers.uploadData;
import static org.assertj.core.api.Assertions.assertThat;

/** Upload and download (PROTOCOL.md s4 and s5) end to end: real TLS, real services, real files. */
class TransferCommandsTest {

  @TempDir
  static Path data;
  static ServerFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = ServerFixture.start(data, new JsonObject());
    fixture.addUser("alice", "alice-pass-1", 0);
    fixture.addUser("bob", "bob-pass-123", 0);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  private static WireClient alice() throws Exception {
    return WireClient.login(fixture.port(), "alice", "alice-pass-1", "user");
  }

  private static Path home(String name) {
    return fixture.home("alice").resolve(name);
  }

  /** The partial upload files of a target: storage names them by the SHA-256 of its virtual path. */
  private static long partialsOf(String virtualPath) throws Exception {
    String key = sha256(virtualPath.getBytes(StandardCharsets.UTF_8));
    try (Stream<Path> files = Files.list(data.resolve("partial"))) {
      return files.filter(f -> f.getFileName().toString().startsWith(key)).count();
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 20 * CHUNK + 12345})
  void uploadsAndDownloadsAreByteIdentical(int size) throws Exception {
    byte[] content = random(size, size);
    String name = "file-" + size + ".bin";
    try (WireClient client = alice()) {
      assertThat(WireTransfers.upload(client, uploadData("", name, content, false), content))
        .isEqualTo("SUCCESS*" + sha256(content));
      assertThat(Files.readAllBytes(home(name))).isEqualTo(content);
      WireTransfers.Downloaded down = WireTransfers.download(client, name, 0);
      assertThat(down.size()).isEqualTo(size);
      assertThat(down.sha256()).isEqualTo(sha256(content));
      assertThat(down.bytes()).isEqualTo(content);
      assertThat(client.call("checksum", name)).isEqualTo(size + "*" + sha256(content));
      assertThat(client.call("pwd", "")).as("the session goes on").isEqualTo("/home/alice");
    }
  }

  @Test
  void theSeedFormWithoutChecksumStillReportsIt() throws Exception {
    byte[] content = random(3000, 1);
    try (WireClient client = alice()) {
      client.call("mkdir", "seed");
      assertThat(WireTransfers.upload(client, "/home/alice/seed*plain.txt*3000", content)).isEqualTo("SUCCESS*" + sha256(content));
      assertThat(Files.readAllBytes(fixture.home("alice").resolve("seed/plain.txt"))).isEqualTo(content);
    }
  }

  @Test
  void theDirectoryIsResolvedAgainstTheWorkingDirectory() throws Exception {
    byte[] content = random(100, 31);
    try (WireClient client = alice()) {
      client.call("mkdir", "cwd");
      client.call("mkdir", "cwd/inner");
      assertThat(client.call("cd", "cwd")).isEqualTo("OK*/home/alice/cwd");
      assertThat(WireTransfers.upload(client, uploadData("inner", "rel.bin", content, false), content)).startsWith("SUCCESS*");
      assertThat(WireTransfers.upload(client, uploadData("", "here.bin", content, false), content)).startsWith("SUCCESS*");
      assertThat(fixture.home("alice").resolve("cwd/inner/rel.bin")).hasBinaryContent(content);
      assertThat(fixture.home("alice").resolve("cwd/here.bin")).hasBinaryContent(content);
      assertThat(WireTransfers.download(client, "inner/rel.bin", 0).bytes()).isEqualTo(content);
    }
  }

  /** A client that ignores the window is simply read more slowly: the server stops reading until its writes catch up. */
  @Test
  void aClientThatIgnoresTheWindowIsHeldBackNotRefused() throws Exception {
    byte[] content = random(24 * CHUNK, 32);
    try (WireClient client = alice()) {
      assertThat(WireTransfers.ready(client, uploadData("", "greedy.bin", content, false))).isZero();
      for (int offset = 0; offset < content.length; offset += CHUNK) {
        client.send(new Header("", "", "uploading", Integer.toString(offset)), content, offset, CHUNK);
      }
      assertThat(skipAcks(client)).isEqualTo("SUCCESS*" + sha256(content));
      assertThat(Files.readAllBytes(home("greedy.bin"))).isEqualTo(content);
    }
  }

  @Test
  void anExistingFileIsReplacedOnlyWhenAsked() throws Exception {
    byte[] first = random(5000, 2);
    byte[] second = random(7000, 3);
    try (WireClient client = alice()) {
      assertThat(WireTransfers.upload(client, uploadData("", "twice.bin", first, false), first)).startsWith("SUCCESS*");
      assertThat(client.call("upload", uploadData("", "twice.bin", second, false))).isEqualTo("FILE_ALREADY_EXISTS");
      assertThat(WireTransfers.upload(client, uploadData("", "twice.bin", second, true), second)).isEqualTo("SUCCESS*" + sha256(second));
      assertThat(Files.readAllBytes(home("twice.bin"))).isEqualTo(second);
    }
  }

  /** PROTOCOL.md s5: "A mismatch answers FAILE*0*CHECKSUM_MISMATCH and the partial data is dropped." */
  @Test
  void aChecksumMismatchIsNotPublishedAndLeavesNothingBehind() throws Exception {
    byte[] content = random(3 * CHUNK, 4);
    String wrong = sha256(random(10, 5));
    try (WireClient client = alice()) {
      String data = "*mismatch.bin*" + content.length + "*" + wrong;
      assertThat(WireTransfers.upload(client, data, content)).isEqualTo("FAILE*0*CHECKSUM_MISMATCH");
      assertThat(home("mismatch.bin")).doesNotExist();
      assertThat(partialsOf("/home/alice/mismatch.bin")).isZero();
      assertThat(client.call("view", "")).doesNotContain("mismatch");
    }
  }

  /**
   * PROTOCOL.md s5, extension: with {@code LATER} for its checksum an upload is published only
   * once its {@code SHA256} frame has come, and checked against it.
   */
  @Test
  void aChecksumSentAfterTheChunksIsWaitedForAndChecked() throws Exception {
    byte[] content = random(3 * CHUNK + 5, 41);
    try (WireClient client = alice()) {
      assertThat(WireTransfers.ready(client, "*later.bin*" + content.length + "*LATER")).isZero();
      assertThat(WireTransfers.send(client, content, 0, content.length - 1).end()).isNull();
      client.send(new Header("", "", "uploading", Integer.toString(content.length - 1)), content, content.length - 1, 1);
      assertThat(WireTransfers.awaitAck(client, content.length)).isEqualTo(content.length);
      assertThat(home("later.bin")).as("every byte stored, the checksum not yet come").doesNotExist();
      client.send(new Header("", "", "uploading", "SHA256*" + sha256(content).toUpperCase()));
      assertThat(skipAcks(client)).isEqualTo("SUCCESS*" + sha256(content));
      assertThat(Files.readAllBytes(home("later.bin"))).isEqualTo(content);

      assertThat(WireTransfers.ready(client, "*first.bin*" + content.length + "*LATER*overwrite")).isZero();
      client.send(new Header("", "", "uploading", "SHA256*" + sha256(content)));
      assertThat(WireTransfers.send(client, content, 0, content.length).end()).as("the checksum may come first")
        .isEqualTo("SUCCESS*" + sha256(content));

      assertThat(WireTransfers.ready(client, "*empty.bin*0*LATER")).isZero();
      client.send(new Header("", "", "uploading", "SHA256*" + sha256(new byte[0])));
      assertThat(skipAcks(client)).isEqualTo("SUCCESS*" + sha256(new byte[0]));
      assertThat(home("empty.bin")).isEmptyFile();
    }
  }

  @Test
  void aWrongChecksumSentAfterTheChunksDropsTheUpload() throws Exception {
    byte[] content = random(2 * CHUNK, 42);
    try (WireClient client = alice()) {
      assertThat(WireTransfers.ready(client, "*later-bad.bin*" + content.length + "*LATER")).isZero();
      client.send(new Header("", "", "uploading", "SHA256*" + sha256(random(10, 43))));
      assertThat(WireTransfers.send(client, content, 0, content.length).end()).isEqualTo("FAILE*0*CHECKSUM_MISMATCH");
      assertThat(home("later-bad.bin")).doesNotExist();
      assertThat(partialsOf("/home/alice/later-bad.bin")).isZero();
    }
  }

  /** A checksum frame no upload asked for, or a second one, is not a chunk at the next offset. */
  @Test
  void aChecksumFrameThatWasNotDueEndsTheUpload() throws Exception {
    byte[] content = random(CHUNK, 44);
    try (WireClient client = alice()) {
      assertThat(WireTransfers.ready(client, uploadData("", "given.bin", content, false))).isZero();
      client.send(new Header("", "", "uploading", "SHA256*" + sha256(content)));
      assertThat(skipAcks(client)).isEqualTo("FAILE*0*BAD_OFFSET");
      assertThat(WireTransfers.ready(client, "*twice.bin*" + content.length + "*LATER")).isZero();
      client.send(new Header("", "", "uploading", "SHA256*" + sha256(content)));
      client.send(new Header("", "", "uploading", "SHA256*" + sha256(content)));
      assertThat(skipAcks(client)).isEqualTo("FAILE*0*BAD_OFFSET");
      assertThat(home("given.bin")).doesNotExist();
      assertThat(home("twice.bin")).doesNotExist();
      assertThat(client.call("pwd", "")).as("the session goes on").isEqualTo("/home/alice");
    }
  }

  @Test
  void aChunkNotAtTheNextOffsetEndsTheUploadAndItResumesWhereItStopped() throws Exception {
    byte[] content = random(3 * CHUNK, 6);
    String data = uploadData("", "gap.bin", content, false);
    try (WireClient client = alice()) {
      assertThat(WireTransfers.ready(client, data)).isZero();
      assertThat(WireTransfers.send(client, content, 0, CHUNK).end()).isNull();
      client.send(new Header("", "", "uploading", Long.toString(CHUNK + 1)), content, CHUNK + 1, 100);
      String end = skipAcks(client);
      assertThat(end).isEqualTo("FAILE*" + CHUNK + "*BAD_OFFSET");
      assertThat(home("gap.bin")).doesNotExist();
      assertThat(WireTransfers.ready(client, data)).isEqualTo(CHUNK);
      assertThat(WireTransfers.send(client, content, CHUNK, content.length).end()).isEqualTo("SUCCESS*" + sha256(content));
      assertThat(Files.readAllBytes(home("gap.bin"))).isEqualTo(content);
    }
  }

  @Test
  void bytesBeyondTheSizeEndTheUpload() throws Exception {
    byte[] content = random(1000, 7);
    try (WireClient client = alice()) {
      assertThat(WireTransfers.ready(client, "*beyond.bin*999*" + sha256(Arrays.copyOf(content, 999)))).isZero();
      client.send(new Header("", "", "uploading", "0"), content, 0, 1000);
      assertThat(skipAcks(client)).isEqualTo("FAILE*0*BAD_OFFSET");
      assertThat(home("beyond.bin")).doesNotExist();
    }
  }

  @Test
  void aDownloadCanStartAtAnyOffset() throws Exception {
    byte[] content = random(2 * CHUNK + 77, 8);
    Files.write(home("resume-down.bin"), content);
    try (WireClient client = alice()) {
      WireTransfers.Downloaded rest = WireTransfers.download(client, "resume-down.bin", CHUNK + 5);
      assertThat(rest.bytes()).isEqualTo(Arrays.copyOfRange(content, CHUNK + 5, content.length));
      assertThat(rest.sha256()).isEqualTo(sha256(content));
    }
  }

  @Test
  void aDownloadFromBeyondTheEndIsABadOffset() throws Exception {
    Files.write(home("short.bin"), random(10, 9));
    try (WireClient client = alice()) {
      WireTransfers.announce(client, "short.bin");
      assertThat(client.call(new Header("", "", "download_RES", "READY*11"))).isEqualTo(new Header("alice", "", "download", "BAD_OFFSET"));
      WireTransfers.announce(client, "short.bin");
      assertThat(client.call("download_RES", "READY*10")).as("nothing left to send").isEqualTo("SUCCESS");
    }
  }

  /** With a 20 MiB file and an 8 MiB window, the server cannot have sent 9 MiB before an acknowledgement. */
  @Test
  void anAcknowledgementOfMoreThanWasSentIsABadOffset() throws Exception {
    Files.write(home("big-ack.bin"), random(20 * CHUNK, 10));
    try (WireClient client = alice()) {
      WireTransfers.announce(client, "big-ack.bin");
      client.send(new Header("", "", "download_RES", "READY*0"));
      assertThat(client.nextFrame().header().data()).isEqualTo("0");
      client.send(new Header("", "", "download_RES", "READY*" + 9 * CHUNK));
      Header end = skipChunks(client);
      assertThat(end.data()).isEqualTo("BAD_OFFSET");
      assertThat(client.call("pwd", "")).isEqualTo("/home/alice");
    }
  }

  @Test
  void notReadyCancelsBeforeTheStreamAndPausesItDuringIt() throws Exception {
    Files.write(home("pause.bin"), random(20 * CHUNK, 11));
    try (WireClient client = alice()) {
      WireTransfers.announce(client, "pause.bin");
      assertThat(client.call("download_RES", "NOT_READY*123")).isEqualTo("ABORTED*123");
      WireTransfers.announce(client, "pause.bin");
      client.send(new Header("", "", "download_RES", "READY*0"));
      assertThat(client.nextFrame().header().data()).isEqualTo("0");
      client.send(new Header("", "", "download_RES", "NOT_READY*" + CHUNK));
      long next = CHUNK;
      Frame frame = client.nextFrame();
      while (frame.header().cmd().equals("download_ing")) {
        assertThat(Long.parseLong(frame.header().data())).isEqualTo(next);
        next += frame.payload().length();
        frame = client.nextFrame();
      }
      // "ABORTED*<next offset it would have sent>": every chunk before it arrived.
      assertThat(frame.header()).isEqualTo(new Header("alice", "", "download", "ABORTED*" + next));
      assertThat(next).isLessThanOrEqualTo(WireTransfers.WINDOW);
    }
  }

  @Test
  void downloadsOfWhatIsNoFileOfTheCallerAreRefused() throws Exception {
    try (WireClient client = alice()) {
      client.call("mkdir", "a-dir");
      assertThat(client.call("download", "missing.bin")).isEqualTo("file_not_exists");
      assertThat(client.call("download", "a-dir")).isEqualTo("file_not_exists");
      assertThat(client.call("download", "bad*name")).isEqualTo("file_not_exists");
      assertThat(client.call("download", "/home/bob/x")).isEqualTo("没有访问权限!");
      client.send(new Header("", "", "download_RES", "READY*0"));
      assertThat(client.call("pwd", "")).as("no transfer: dropped without an answer").isEqualTo("/home/alice");
    }
  }

  @Test
  void uploadsTheCallerMayNotMakeAreRefused() throws Exception {
    try (WireClient client = alice()) {
      client.call("mkdir", "sub");
      assertThat(client.call("upload", "nowhere*a.bin*1")).isEqualTo("NOT_READY*NO_SUCH_DIR");
      assertThat(client.call("upload", "/home/bob*a.bin*1")).isEqualTo("NOT_READY*NO_PERMISSION");
      assertThat(client.call("upload", "*..*1")).isEqualTo("NOT_READY*BAD_NAME");
      assertThat(client.call("upload", "*a\\b*1")).isEqualTo("NOT_READY*BAD_NAME");
      assertThat(client.call("upload", "*sub*1*overwrite")).isEqualTo("NOT_READY*IS_A_DIRECTORY");
      assertThat(client.call("upload", "*a.bin*-1")).isEqualTo("BAD_ARGUMENTS");
      assertThat(client.call("upload", "*a.bin*1*abc")).isEqualTo("BAD_ARGUMENTS");
      assertThat(client.call("upload", "*a.bin")).isEqualTo("BAD_ARGUMENTS");
      assertThat(client.call("upload", "*a.bin*1*" + "0".repeat(64) + "*replace")).isEqualTo("BAD_ARGUMENTS");
    }
  }

  /** PROTOCOL.md s5: BUSY, "the same target is being uploaded by another connection". */
  @Test
  void aSecondUploadOfTheSameTargetIsBusy() throws Exception {
    byte[] content = random(2 * CHUNK, 12);
    String data = uploadData("", "busy.bin", content, false);
    try (WireClient first = alice(); WireClient second = alice()) {
      assertThat(WireTransfers.ready(first, data)).isZero();
      assertThat(second.call("upload", data)).isEqualTo("NOT_READY*BUSY");
      assertThat(WireTransfers.send(first, content, 0, content.length).end()).isEqualTo("SUCCESS*" + sha256(content));
    }
  }

  @Test
  void anAbortedUploadResumesLater() throws Exception {
    byte[] content = random(6 * CHUNK, 13);
    String data = uploadData("", "abort.bin", content, false);
    try (WireClient client = alice()) {
      assertThat(WireTransfers.ready(client, data)).isZero();
      WireTransfers.send(client, content, 0, 3 * CHUNK);
      WireTransfers.awaitAck(client, 2 * CHUNK);
      client.send(new Header("", "", "uploading", "ABORT"));
      // The writes in flight are let finish first, so FAILE counts all 3 MiB sent.
      assertThat(skipAcks(client)).isEqualTo("FAILE*" + 3 * CHUNK + "*ABORTED");
      assertThat(client.call("view", "")).as("partials never show").doesNotContain("abort.bin", ".part");
      assertThat(partialsOf("/home/alice/abort.bin")).isEqualTo(2);
      assertThat(WireTransfers.ready(client, data)).isEqualTo(3 * CHUNK);
      assertThat(WireTransfers.send(client, content, 3 * CHUNK, content.length).end()).isEqualTo("SUCCESS*" + sha256(content));
      assertThat(partialsOf("/home/alice/abort.bin")).isZero();
      assertThat(Files.readAllBytes(home("abort.bin"))).isEqualTo(content);
    }
  }

  @Test
  void anotherCommandEndsTheUploadKeepingWhatWasStored() throws Exception {
    byte[] content = random(3 * CHUNK, 14);
    String data = uploadData("", "interrupted.bin", content, false);
    try (WireClient client = alice()) {
      assertThat(WireTransfers.ready(client, data)).isZero();
      WireTransfers.send(client, content, 0, 2 * CHUNK);
      long acked = WireTransfers.awaitAck(client, 2 * CHUNK);
      assertThat(client.call("pwd", "")).isEqualTo("/home/alice");
      JsonArray listing = new JsonArray(client.call("view", ""));
      assertThat(listing.stream().map(o -> ((JsonObject) o).getString("name"))).doesNotContain("interrupted.bin");
      assertThat(WireTransfers.ready(client, data)).isEqualTo(acked);
      assertThat(WireTransfers.send(client, content, acked, content.length).end()).isEqualTo("SUCCESS*" + sha256(content));
    }
  }

  /** A dropped connection closes the handle; the partial is resumed from a new connection. */
  @Test
  void anUploadResumesAfterADroppedConnection() throws Exception {
    byte[] content = random(10 * CHUNK, 15);
    String data = uploadData("", "dropped.bin", content, false);
    long acked;
    long sent;
    try (WireClient client = alice()) {
      assertThat(WireTransfers.ready(client, data)).isZero();
      sent = WireTransfers.send(client, content, 0, 5 * CHUNK).sent();
      acked = WireTransfers.awaitAck(client, 2 * CHUNK);
    }
    try (WireClient again = alice()) {
      long offset = readyOnceFree(again, data);
      assertThat(offset).isBetween(acked, sent);
      assertThat(WireTransfers.send(again, content, offset, content.length).end()).isEqualTo("SUCCESS*" + sha256(content));
      assertThat(Files.readAllBytes(home("dropped.bin"))).isEqualTo(content);
    }
  }

  /** PROTOCOL.md s4: "a concurrent overwrite must not yield a mixed file". */
  @Test
  void aDownloadKeepsTheContentAndChecksumItBeganWith() throws Exception {
    byte[] old = random(20 * CHUNK, 16);
    byte[] replacement = random(3 * CHUNK, 17);
    Files.write(home("moving.bin"), old);
    try (WireClient reader = alice(); WireClient writer = alice()) {
      String[] announced = WireTransfers.announce(reader, "moving.bin");
      reader.send(new Header("", "", "download_RES", "READY*0"));
      Frame first = reader.nextFrame();
      assertThat(WireTransfers.upload(writer, uploadData("", "moving.bin", replacement, true), replacement)).startsWith("SUCCESS*");
      assertThat(Files.readAllBytes(home("moving.bin"))).isEqualTo(replacement);
      byte[] rest = receiveRest(reader, first, old.length);
      assertThat(announced[1]).isEqualTo(sha256(old));
      assertThat(rest).isEqualTo(old);
    }
  }

  /** Reads a download to its end from its first chunk, acknowledging as a client must. */
  private static byte[] receiveRest(WireClient client, Frame first, long size) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    Frame frame = first;
    long received = 0;
    long acked = 0;
    while (true) {
      bytes.write(frame.payload().getBytes());
      received += frame.payload().length();
      if (received - acked >= WireTransfers.WINDOW / 2 || received == size) {
        client.send(new Header("", "", "download_RES", "READY*" + received));
        acked = received;
      }
      if (received == size) {
        break;
      }
      frame = client.nextFrame();
    }
    assertThat(client.next().data()).isEqualTo("SUCCESS");
    return bytes.toByteArray();
  }

  /**
   * The server notices a dropped connection on its own time, and the upload stays BUSY until it
   * has closed the handle: a resuming client asks again until it is free (bounded).
   */
  static long readyOnceFree(WireClient client, String data) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      Header reply = client.call(new Header("", "", "upload", data));
      if (reply.data().startsWith("READY*")) {
        return Long.parseLong(reply.data().substring("READY*".length()));
      }
      if (!reply.data().equals("NOT_READY*BUSY") || System.nanoTime() > deadline) {
        throw new IllegalStateException("upload answered " + reply.data());
      }
    }
  }

  private static String skipAcks(WireClient client) throws Exception {
    String answer = client.next().data();
    while (answer.startsWith("ACK*")) {
      answer = client.next().data();
    }
    return answer;
  }

  private static Header skipChunks(WireClient client) throws Exception {
    Header header = client.next();
    while (header.cmd().equals("download_ing")) {
      header = client.next();
    }
    return header;
  }
}
