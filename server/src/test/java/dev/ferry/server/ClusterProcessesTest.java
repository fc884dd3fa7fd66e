package dev.ferry.server;

import dev.ferry.protocol.net.LoopbackPorts;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.Header;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.ferry.server.WireTransfers.CHUNK;
import static dev.ferry.server.WireTransfers.WINDOW;
import static dev.ferry.server.WireTransfers.random;
import static dev.ferry.server.WireTransfers.sha256;
import static dev.ferry.server.WireTransfers.uploadData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 5: "A real multi-process cluster in CI: gateway, auth, quota and two storage nodes as
 * separate JVMs on loopback; [a client] logs in, uploads and downloads through it; one storage
 * node is killed mid-download and the transfer completes by resume, checksum verified."
 *
 * <p>Each service is a real {@code ferry-server --cluster --services X} process; they find each
 * other by the TCP-IP member list and share one data directory and one token secret. The client
 * is the wire protocol done by hand ({@link WireClient}, {@link WireTransfers}), resuming as
 * PROTOCOL.md s4 and s5 describe: {@code download} again, then {@code READY*<bytes it has>};
 * {@code upload} again, then the rest from the server's {@code READY} offset. The storage node to
 * kill is the one holding the transfer's file open (Linux {@code /proc/<pid>/fd}).
 *
 * <p>In order, on one cluster: upload and download; a download whose node is killed; the killed
 * node back beside the survivor, the two sharing a partial upload (locks and expiry across
 * processes); an upload whose node is killed.
 */
class ClusterProcessesTest {

  private static final String ADMIN_PASSWORD = "cluster-admin-1";
  /** How long a session may wait for the failure answer once its storage node is dead. */
  private static final long FAILURE_WITHIN_SECONDS = 20;

  @TempDir
  Path work;

  @Test
  void transfersThroughAClusterOfProcessesSurviveTheDeathOfAStorageNode() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "finding the node that holds a file needs /proc");
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String member : List.of("auth", "quota", "storage-a", "storage-b", "gateway")) {
      ports.put(member, freePort());
    }
    String members = ports.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    Map<String, ServerProcess> running = new LinkedHashMap<>();
    try {
      // The first member alone, then the others join it together.
      running.put("auth", launch(members, ports.get("auth"), "auth").awaitStarted());
      for (String member : List.of("quota", "storage-a", "storage-b", "gateway")) {
        running.put(member, launch(members, ports.get(member), member.replaceAll("-.*", "")));
      }
      for (ServerProcess process : running.values()) {
        process.awaitStarted();
      }
      ServerProcess gateway = running.get("gateway");
      assertThat(running.get("storage-a").output)
        .anyMatch(l -> l.equals("ferry services storage joined the cluster at 127.0.0.1:" + ports.get("storage-a")));
      assertThat(gateway.output).anyMatch(l -> l.equals("ferry listening on 127.0.0.1:" + gateway.port));
      try (WireClient admin = WireClient.login(gateway.port, "admin", ADMIN_PASSWORD, "admin")) {
        assertThat(admin.call("useradd", "alice*alice-pass-1*user*0")).isEqualTo("OK");
      }

      String killed = downloadSurvivesTheDeathOfItsNode(gateway.port, running);

      twoNodesShareOnePartialUpload(gateway.port, () -> {
        // The killed node comes back on the same data volume beside the survivor.
        running.put(killed, launch(members, ports.get(killed), "storage").awaitStarted());
      });
      anUploadSurvivesTheDeathOfItsNode(gateway.port, running);
    } catch (Exception | AssertionError e) {
      running.forEach((name, process) -> System.err.println("--- " + name + " ---\n" + process.outputSoFar()));
      throw e;
    } finally {
      running.values().forEach(ServerProcess::close);
    }
  }

  /**
   * Upload, download, then a second download whose storage node is killed with SIGKILL: the
   * session gets {@code download ABORTED*<n>} soon, and {@code download} again from the bytes it
   * has finishes through the other node, byte for byte. Answers the name of the killed node.
   */
  private String downloadSurvivesTheDeathOfItsNode(int port, Map<String, ServerProcess> running) throws Exception {
    byte[] content = random(24 * CHUNK + 12345, 5);
    Path stored = data().resolve("files/home/alice/big.bin");
    try (WireClient alice = WireClient.login(port, "alice", "alice-pass-1", "user")) {
      assertThat(WireTransfers.upload(alice, uploadData("", "big.bin", content, false), content)).isEqualTo("SUCCESS*" + sha256(content));
      assertThat(Files.readAllBytes(stored)).isEqualTo(content);
      assertThat(WireTransfers.download(alice, "big.bin", 0).bytes()).isEqualTo(content);

      String[] announced = WireTransfers.announce(alice, "big.bin");
      assertThat(announced[1]).isEqualTo(sha256(content));
      PartialDownload first = new PartialDownload(alice, content.length);
      alice.send(new Header("", "", "download_RES", "READY*0"));
      assertThat(first.readUntil(2 * CHUNK)).isNull();
      // Read on until exactly one node holds the file: the close of the first download's handle
      // may still be on its way to its node.
      String holder = holderOf(stored.toRealPath(), running);
      while (holder == null && first.received < content.length / 2) {
        assertThat(first.readUntil(first.received + CHUNK)).isNull();
        holder = holderOf(stored.toRealPath(), running);
      }
      assertThat(holder).as("one storage node holds the download open").isNotNull();
      ServerProcess node = running.remove(holder);
      node.process.destroyForcibly(); // SIGKILL: the node's handles and consumers vanish with it
      assertThat(node.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long killedAt = System.nanoTime();

      String end = first.readUntil(content.length);
      long failedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      System.out.println("ClusterProcessesTest: killed " + holder + " at " + first.received + " bytes; the session got '"
        + end + "' after " + failedAfterMs + " ms");
      // PROTOCOL.md s4: the server stops with ABORTED*<n>, n never more than the client received.
      assertThat(end).as("the session's failure answer").matches("ABORTED\\*[0-9]+");
      assertThat(Long.parseLong(end.substring("ABORTED*".length()))).isBetween(0L, first.received);
      assertThat(failedAfterMs).isLessThan(TimeUnit.SECONDS.toMillis(FAILURE_WITHIN_SECONDS));

      // Resume on the same connection: the open goes to a node that is alive.
      String[] again = announceAllowingErrors(alice, "big.bin");
      assertThat(again).containsExactly(announced);
      WireTransfers.Downloaded rest = WireTransfers.receive(alice, again, first.received);
      byte[] whole = concat(first.bytes.toByteArray(), rest.bytes());
      assertThat(whole.length).isEqualTo(content.length);
      assertThat(sha256(whole)).isEqualTo(announced[1]);
      assertThat(whole).isEqualTo(content);
      return holder;
    }
  }

  /**
   * An upload whose storage node is killed: the session gets {@code uploading FAILE*<n>*ERROR}
   * soon, the partial's lock died with the node, and {@code upload} again resumes on the other
   * node from what the dead one had stored, at least every acknowledged byte.
   */
  private void anUploadSurvivesTheDeathOfItsNode(int port, Map<String, ServerProcess> running) throws Exception {
    byte[] content = random(16 * CHUNK + 3, 8);
    String upload = uploadData("", "moving.bin", content, false);
    Path part = data().resolve("partial").resolve(sha256("/home/alice/moving.bin".getBytes(StandardCharsets.UTF_8)) + ".part");
    try (WireClient alice = WireClient.login(port, "alice", "alice-pass-1", "user")) {
      assertThat(WireTransfers.ready(alice, upload)).isZero();
      long sent = WireTransfers.send(alice, content, 0, 6 * CHUNK).sent();
      long acked = WireTransfers.awaitAck(alice, 4 * CHUNK);
      String holder = holderOf(part.toRealPath(), running);
      assertThat(holder).as("one storage node holds the upload open").isNotNull();
      ServerProcess node = running.remove(holder);
      node.process.destroyForcibly();
      assertThat(node.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long killedAt = System.nanoTime();

      WireTransfers.Progress cut = WireTransfers.send(alice, content, sent, content.length);
      long failedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      System.out.println("ClusterProcessesTest: killed " + holder + " after " + acked + " bytes acknowledged; the session got '"
        + cut.end() + "' after " + failedAfterMs + " ms");
      assertThat(cut.end()).as("the session's failure answer").matches("FAILE\\*[0-9]+\\*ERROR");
      assertThat(failedAfterMs).isLessThan(TimeUnit.SECONDS.toMillis(FAILURE_WITHIN_SECONDS));

      long offset = readyAllowingErrors(alice, upload);
      assertThat(offset).as("every acknowledged byte survived the node").isBetween(acked, sent);
      assertThat(WireTransfers.send(alice, content, offset, content.length).end()).isEqualTo("SUCCESS*" + sha256(content));
      assertThat(Files.readAllBytes(data().resolve("files/home/alice/moving.bin"))).isEqualTo(content);
    }
  }

  /** Starts a process and waits until it is up. */
  @FunctionalInterface
  private interface Start {
    void run() throws Exception;
  }

  /**
   * Two storage processes on one data volume: a partial upload held open by one is BUSY for any
   * node (a lock in its JVM, a file lock across processes), and the expiry sweep of a second node
   * starting meanwhile ({@code secondNode}) leaves it alone while it removes an expired one nobody
   * holds; the upload then resumes through another session from exactly what was stored, and the
   * checksum agrees whichever node answers.
   */
  private void twoNodesShareOnePartialUpload(int port, Start secondNode) throws Exception {
    byte[] stale = random(3 * CHUNK, 6);
    byte[] held = random(6 * CHUNK + 7, 7);
    try (WireClient first = WireClient.login(port, "alice", "alice-pass-1", "user");
         WireClient second = WireClient.login(port, "alice", "alice-pass-1", "user")) {
      // One storage node alone takes these.
      assertThat(WireTransfers.ready(first, uploadData("", "stale.bin", stale, false))).isZero();
      WireTransfers.send(first, stale, 0, 2 * CHUNK);
      WireTransfers.awaitAck(first, 2 * CHUNK);
      first.send(new Header("", "", "uploading", "ABORT"));
      assertThat(first.next().data()).isEqualTo("FAILE*" + 2 * CHUNK + "*ABORTED");
      assertThat(WireTransfers.ready(first, uploadData("", "held.bin", held, false))).isZero();
      // Acknowledgements come with each forced write, every 2 MiB (a quarter window at most).
      WireTransfers.send(first, held, 0, 4 * CHUNK);
      WireTransfers.awaitAck(first, 4 * CHUNK);
      age("/home/alice/stale.bin", "/home/alice/held.bin");

      secondNode.run(); // a storage node sweeps expired partial uploads as it starts

      assertThat(partialOf("/home/alice/stale.bin")).as("expired and held by no one: swept").isNull();
      assertThat(partialOf("/home/alice/held.bin")).as("expired but held by the other process: kept").isNotNull();

      // Two tries: the event bus sends them round robin, one to each node.
      for (int i = 0; i < 2; i++) {
        assertThat(second.call("upload", uploadData("", "held.bin", held, false))).isEqualTo("NOT_READY*BUSY");
      }
      first.send(new Header("", "", "uploading", "ABORT"));
      String aborted = first.next().data();
      assertThat(aborted).matches("FAILE\\*[0-9]+\\*ABORTED");
      long storedBytes = Long.parseLong(aborted.split("\\*")[1]);
      assertThat(storedBytes).isEqualTo(4L * CHUNK);
      assertThat(WireTransfers.ready(second, uploadData("", "held.bin", held, false))).isEqualTo(storedBytes);
      assertThat(WireTransfers.send(second, held, storedBytes, held.length).end()).isEqualTo("SUCCESS*" + sha256(held));
      for (int i = 0; i < 2; i++) {
        assertThat(second.call("checksum", "held.bin")).isEqualTo(held.length + "*" + sha256(held));
      }
      assertThat(Files.readAllBytes(data().resolve("files/home/alice/held.bin"))).isEqualTo(held);
    }
  }

  /** Makes the partial uploads of these virtual paths eight days old, past the default expiry of seven. */
  private void age(String... targets) throws IOException {
    for (String target : targets) {
      Path meta = partialOf(target);
      assertThat(meta).as("partial of " + target).isNotNull();
      JsonObject json = new JsonObject(Files.readString(meta));
      Files.writeString(meta, json.put("created", System.currentTimeMillis() - TimeUnit.DAYS.toMillis(8)).encode());
    }
  }

  /** The metadata file of the partial upload whose target is {@code target}, or null. */
  private Path partialOf(String target) throws IOException {
    try (DirectoryStream<Path> metas = Files.newDirectoryStream(data().resolve("partial"), "*.json")) {
      for (Path meta : metas) {
        if (target.equals(new JsonObject(Files.readString(meta)).getString("target"))) {
          return meta;
        }
      }
    }
    return null;
  }

  private Path data() {
    return work.resolve("data");
  }

  @Test
  void aClusteredProcessWithoutAPublicKeyOrWithAnUnknownServiceRefusesToStart() throws Exception {
    Map<String, String> env = Map.of("FERRY_DATA", work.resolve("data").toString(), "FERRY_PORT", "0");
    ServerProcess noSecret = ServerProcess.launch(work, env, List.of(), "--cluster", "--services", "storage");
    assertThat(noSecret.awaitExit()).isEqualTo(1);
    assertThat(noSecret.outputSoFar()).contains("tokenPublicKeyPath (FERRY_TOKEN_PUBLIC_KEY_PATH) must be set in a cluster");

    Map<String, String> withSecret = new HashMap<>(env);
    withSecret.putAll(TokenKeyKit.env(work.resolve("keys"), false));
    ServerProcess typo = ServerProcess.launch(work, withSecret, List.of(), "--cluster", "--services", "gateway,storrage");
    assertThat(typo.awaitExit()).isEqualTo(1);
    assertThat(typo.outputSoFar()).contains("unknown service 'storrage'").contains("valid: auth, storage, quota, gateway");
  }

  private ServerProcess launch(String members, int clusterPort, String service) throws IOException {
    Map<String, String> env = ServerProcess.clusterMember(data(), work.resolve("keys"), members, clusterPort,
      service.contains("auth"), ADMIN_PASSWORD);
    env.put("FERRY_HTTP_PORT", "-1");
    List<String> jvm = new ArrayList<>(ServerProcess.JVM_OPTIONS);
    jvm.add("-Xmx384m");
    return ServerProcess.launch(work, env, jvm, "--cluster", "--services", service);
  }

  /**
   * {@code download} until it answers {@code <size>*<sha256>}: while the cluster has not yet seen
   * the killed node go, an open may be sent to it and fail ({@code ERROR}); a client retries.
   */
  private static String[] announceAllowingErrors(WireClient client, String path) throws IOException {
    List<String> errors = new ArrayList<>();
    for (int attempt = 0; attempt < 4; attempt++) {
      Header reply = client.call(new Header("", "", "download", path));
      if (reply.data().matches("[0-9]+\\*[0-9a-f]{64}")) {
        return reply.data().split("\\*");
      }
      errors.add(reply.data());
    }
    throw new IllegalStateException("download " + path + " kept failing: " + errors);
  }

  /** {@code upload} until it answers {@code READY*<offset>} (see {@link #announceAllowingErrors}); answers the offset. */
  private static long readyAllowingErrors(WireClient client, String data) throws IOException {
    List<String> errors = new ArrayList<>();
    for (int attempt = 0; attempt < 4; attempt++) {
      String reply = client.call("upload", data);
      if (reply.startsWith("READY*")) {
        return Long.parseLong(reply.substring("READY*".length()));
      }
      errors.add(reply);
    }
    throw new IllegalStateException("upload " + data + " kept failing: " + errors);
  }

  /** The storage process that has {@code file} open, or null when none or both have. */
  private static String holderOf(Path file, Map<String, ServerProcess> running) throws IOException {
    List<String> holders = new ArrayList<>();
    for (Map.Entry<String, ServerProcess> entry : running.entrySet()) {
      if (entry.getKey().startsWith("storage") && entry.getValue().holds(file)) {
        holders.add(entry.getKey());
      }
    }
    return holders.size() == 1 ? holders.get(0) : null;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static int freePort() throws IOException {
    return LoopbackPorts.reservable();
  }

  /** A download in progress, read chunk by chunk as a careful client does (s4), acknowledging every half window. */
  private static final class PartialDownload {
    private final WireClient client;
    private final long size;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private long received;
    private long ackedSent;

    PartialDownload(WireClient client, long size) {
      this.client = client;
      this.size = size;
    }

    /** Reads chunks until at least {@code target} bytes are in (answers null) or the server ends the download (answers its data). */
    String readUntil(long target) throws IOException {
      while (received < target) {
        Frame frame = client.nextFrame();
        Header header = frame.header();
        if (header.cmd().equals("download")) {
          return header.data();
        }
        assertThat(header.cmd()).isEqualTo("download_ing");
        assertThat(Long.parseLong(header.data())).isEqualTo(received);
        bytes.write(frame.payload().getBytes());
        received += frame.payload().length();
        if (received - ackedSent >= WINDOW / 2 || received == size) {
          client.send(new Header("", "", "download_RES", "READY*" + received));
          ackedSent = received;
        }
      }
      return null;
    }
  }
}
