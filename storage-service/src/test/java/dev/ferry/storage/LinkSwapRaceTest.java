package dev.ferry.storage;

import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.StorageApi;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.ferry.storage.TransferFixture.openRead;
import static dev.ferry.storage.TransferFixture.openWrite;
import static dev.ferry.storage.TransferFixture.sha256;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time-of-check/time-of-use race on a symbolic link an operator left in alice's home: alice
 * swaps the name of one of her directories with the directory that holds the link, while other
 * requests read, list, checksum and upload through that name. Whatever name resolves to at any
 * instant, nothing may ever be read from or written to bob's home.
 *
 * <pre>
 * files/home/alice/holder/ln      -> files/home/bob   (the operator's link)
 * files/home/alice/mine/ln/secret.txt                 (alice's own directory of the same shape)
 * files/home/bob/secret.txt                           (what must never leak)
 * </pre>
 */
class LinkSwapRaceTest extends DeployedStorage {

  private static final int RENAME_ATTEMPTS = 20_000;
  private static final String DECOY = "alice's own decoy file, not bob's";
  private static final String PROBE = "/home/alice/mine/ln";

  private final ConcurrentLinkedQueue<String> breaches = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean renaming = new AtomicBoolean(true);
  private final AtomicInteger uploads = new AtomicInteger();
  /** Probes that got an answer through the name (at an instant it was alice's own directory). */
  private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.MINUTES)
  void swappingALinkIntoAPathNeverReachesBobsHome(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path alice = files.resolve("home/alice");
    Path bob = files.resolve("home/bob");
    Files.createDirectories(alice.resolve("holder"));
    Files.createSymbolicLink(alice.resolve("holder/ln"), bob.toAbsolutePath());
    Files.createDirectories(alice.resolve("mine/ln"));
    Files.writeString(alice.resolve("mine/ln/secret.txt"), DECOY);
    Map<String, String> bobBefore = snapshot(bob);
    Map<String, String> outsideBefore = snapshot(outside);
    // Usage changes go nowhere in this test; answering them keeps the log quiet.
    vertx.eventBus().<JsonObject>consumer(Addresses.QUOTA, message -> message.reply(new JsonObject()));

    AtomicInteger attempts = new AtomicInteger();
    Future<Void> renames = repeat(() -> rename(attempts.getAndIncrement()), () -> attempts.get() < RENAME_ATTEMPTS)
      .onComplete(done -> renaming.set(false));
    Future.all(List.of(renames, until(() -> readProbe(vertx)), until(this::listProbe),
        until(this::checksumProbe), until(() -> uploadProbe(vertx))))
      .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertThat(breaches).as("reads that reached outside alice's home").isEmpty();
        assertThat(snapshot(bob)).as("bob's home").isEqualTo(bobBefore);
        assertThat(snapshot(outside)).as("the rest of the disk").isEqualTo(outsideBefore);
        assertThat(answered.keySet()).as("probes that went through at least once")
          .containsExactlyInAnyOrder("read", "list", "checksum", "upload");
        ctx.completeNow();
      })));
  }

  /** mine -> tmp, holder -> mine, mine -> holder, tmp -> mine, over and over; a refused rename counts too. */
  private Future<?> rename(int attempt) {
    String[][] steps = {{"mine", "tmp"}, {"holder", "mine"}, {"mine", "holder"}, {"tmp", "mine"}};
    String[] step = steps[attempt % steps.length];
    return storage.request(StorageApi.RENAME, alice, move("/home/alice/" + step[0], "/home/alice/" + step[1]));
  }

  /** Runs {@code probe} again and again while the renames go on; a probe refused or failing is fine. */
  private Future<Void> until(Supplier<Future<?>> probe) {
    return repeat(probe, () -> true);
  }

  /**
   * Runs {@code step} one at a time while {@code more} holds and the renames go on. Each step is
   * started from the completion of the one before, not composed onto it: a chain of thousands of
   * composed futures would complete recursively and overflow the stack.
   */
  private Future<Void> repeat(Supplier<Future<?>> step, BooleanSupplier more) {
    Promise<Void> done = Promise.promise();
    Runnable[] next = {null};
    next[0] = () -> {
      if (!more.getAsBoolean() || !renaming.get()) {
        done.tryComplete();
        return;
      }
      step.get().onComplete(ar -> next[0].run());
    };
    next[0].run();
    return done.future();
  }

  private Future<?> readProbe(Vertx vertx) {
    return storage.request(TransferApi.OPEN_READ, alice, openRead(PROBE + "/secret.txt")).compose(opened -> {
      TransferRequests node = new TransferRequests(vertx, opened);
      return node.read(alice, 0, 4096).onSuccess(bytes -> {
        String text = bytes.toString(StandardCharsets.UTF_8);
        if (!text.equals(DECOY)) {
          breaches.add("read " + text);
        }
        count("read");
      }).eventually(() -> node.close(alice));
    });
  }

  private Future<?> listProbe() {
    return storage.request(StorageApi.LIST, alice, path(PROBE)).onSuccess(listing -> {
      count("list");
      for (Object e : listing.getJsonArray(StorageApi.ENTRIES)) {
        JsonObject entry = (JsonObject) e;
        String name = entry.getString(StorageApi.NAME);
        boolean alices = name.startsWith("up-")
          || name.equals("secret.txt") && entry.getLong(StorageApi.SIZE) == DECOY.length();
        if (!alices) {
          breaches.add("listed " + entry);
        }
      }
    });
  }

  private Future<?> checksumProbe() {
    return storage.request(StorageApi.CHECKSUM, alice, path(PROBE + "/secret.txt")).onSuccess(sum -> {
      if (!sha256(DECOY.getBytes(StandardCharsets.UTF_8)).equals(sum.getString(StorageApi.SHA256))) {
        breaches.add("checksum " + sum);
      }
      count("checksum");
    });
  }

  private Future<?> uploadProbe(Vertx vertx) {
    byte[] content = ("upload " + uploads.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
    return storage.request(TransferApi.OPEN_WRITE, alice, openWrite(PROBE, "up-" + uploads.get(), content, false))
      .compose(opened -> {
        TransferRequests node = new TransferRequests(vertx, opened);
        return node.write(alice, 0, Buffer.buffer(content), false).compose(stored -> node.finish(alice))
          .onSuccess(sha -> count("upload"))
          .eventually(() -> node.close(alice));
      });
  }

  private void count(String probe) {
    answered.computeIfAbsent(probe, p -> new AtomicInteger()).incrementAndGet();
  }

  /** Every entry below {@code dir} (links not followed) with its bytes, or its target for a link. */
  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    List<Path> entries;
    try (Stream<Path> walk = Files.walk(dir)) {
      entries = new ArrayList<>(walk.toList());
    }
    for (Path entry : entries) {
      String key = dir.relativize(entry).toString();
      if (Files.isSymbolicLink(entry)) {
        tree.put(key, "-> " + Files.readSymbolicLink(entry));
      } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        tree.put(key, "dir");
      } else {
        tree.put(key, Files.readString(entry, StandardCharsets.ISO_8859_1));
      }
    }
    return tree;
  }
}
