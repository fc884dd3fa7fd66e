package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LIST in pages, through the real event bus against a real directory: every entry exactly once,
 * in listing order, and no page larger than an answer's header can carry.
 */
class ListingPagesTest extends DeployedStorage {

  private static final int FILES = 2500;
  private static final int DIRECTORIES = 300;

  /** Pages of {@code path} from the first to the last, each as LIST answered it. */
  private Future<List<JsonObject>> pages(String path, String after, List<JsonObject> seen) {
    JsonObject request = path(path);
    if (after != null) {
      request.put(StorageApi.AFTER, after);
    }
    return storage.request(StorageApi.LIST, alice, request).compose(page -> {
      seen.add(page);
      String next = page.getString(StorageApi.NEXT);
      return next == null ? Future.succeededFuture(seen) : pages(path, next, seen);
    });
  }

  @Test
  void aLargeDirectoryComesInPagesThatEachFitInAHeader(Vertx vertx, VertxTestContext ctx) {
    Path big = files.resolve("home/alice/many");
    vertx.executeBlocking(() -> {
      Files.createDirectories(big);
      for (int i = 0; i < FILES; i++) {
        Files.writeString(big.resolve(String.format("file-%05d.txt", i)), "x");
      }
      for (int i = 0; i < DIRECTORIES; i++) {
        Files.createDirectory(big.resolve(String.format("dir-%05d", i)));
      }
      // The name that costs the most on the wire: every character escaped twice.
      Files.writeString(big.resolve("\"".repeat(255)), "q");
      return null;
    }, false)
      .compose(v -> pages("/home/alice/many", null, new ArrayList<>()))
      .onComplete(ctx.succeeding(pages -> ctx.verify(() -> {
        List<String> names = new ArrayList<>();
        for (JsonObject page : pages) {
          JsonArray entries = page.getJsonArray(StorageApi.ENTRIES);
          long bytes = 2 + entries.stream().mapToLong(e -> ListingPage.wireBytes((JsonObject) e) + 1).sum();
          assertThat(bytes).as("a page's entries on the wire").isLessThanOrEqualTo(ListingPage.MAX_WIRE_BYTES);
          entries.forEach(e -> names.add(((JsonObject) e).getString(StorageApi.NAME)));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < DIRECTORIES; i++) {
          expected.add(String.format("dir-%05d", i));
        }
        expected.add("\"".repeat(255));
        for (int i = 0; i < FILES; i++) {
          expected.add(String.format("file-%05d.txt", i));
        }
        assertThat(pages.size()).as("pages").isGreaterThan(2);
        assertThat(names).containsExactlyElementsOf(sortedAsListed(expected));
        ctx.completeNow();
      })));
  }

  /** Directories first (they start with "dir-"), then files, each by name. */
  private static List<String> sortedAsListed(List<String> names) {
    List<String> dirs = new ArrayList<>(names.stream().filter(n -> n.startsWith("dir-")).sorted().toList());
    dirs.addAll(names.stream().filter(n -> !n.startsWith("dir-")).sorted().toList());
    return dirs;
  }

  @Test
  void aPageStartsAfterItsCursorEvenWhenThatEntryIsGone(Vertx vertx, VertxTestContext ctx) {
    storage.request(StorageApi.LIST, alice, path("/home/alice").put(StorageApi.AFTER, "d/empty"))
      .compose(afterEmpty -> storage.request(StorageApi.LIST, alice, path("/home/alice").put(StorageApi.AFTER, "d/alpha-gone-meanwhile"))
        .map(afterGone -> List.of(afterEmpty, afterGone)))
      .onComplete(ctx.succeeding(pages -> ctx.verify(() -> {
        assertThat(names(pages.get(0))).containsExactly("sub", "b.txt", "notes.txt");
        assertThat(names(pages.get(1))).containsExactly("empty", "sub", "b.txt", "notes.txt");
        assertThat(pages.get(0).containsKey(StorageApi.NEXT)).as("a last page names no next").isFalse();
        ctx.completeNow();
      })));
  }

  @Test
  void aCursorNoPageAnsweredIsRefused(VertxTestContext ctx) {
    List<Future<JsonObject>> attempts = List.of(
      storage.request(StorageApi.LIST, alice, path("/home/alice").put(StorageApi.AFTER, "x/name")),
      storage.request(StorageApi.LIST, alice, path("/home/alice").put(StorageApi.AFTER, "d")),
      storage.request(StorageApi.LIST, alice, path("/home/alice").put(StorageApi.AFTER, "f/" + "n".repeat(300))),
      storage.request(StorageApi.LIST, alice, path("/home/alice").put(StorageApi.AFTER, 7)));
    Future.join(attempts).onComplete(done -> ctx.verify(() -> {
      assertThat(attempts).allSatisfy(a -> assertThat(Failure.of(a.cause())).isEqualTo(Failure.BAD_REQUEST));
      ctx.completeNow();
    }));
  }

  private static List<String> names(JsonObject listing) {
    return listing.getJsonArray(StorageApi.ENTRIES).stream().map(e -> ((JsonObject) e).getString(StorageApi.NAME)).toList();
  }
}
