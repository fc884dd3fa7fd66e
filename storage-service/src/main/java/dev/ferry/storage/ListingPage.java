package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * One page of a directory listing, collected from the directory's entries in any order while
 * holding at most {@link #MAX_ENTRIES} + 1 of them: the smallest in listing order (PROTOCOL.md
 * section 3, "directories first, then by name") after the cursor. A page stops before its
 * entries would pass {@link #MAX_WIRE_BYTES} as they travel on the wire, so no answer that
 * carries it passes the protocol's 64 KiB header, and no directory is ever held whole.
 *
 * <p>The cursor ({@link StorageApi#AFTER}, {@link StorageApi#NEXT}) is the last entry's key,
 * {@code d/<name>} or {@code f/<name>}: the next page starts after it, so entries added or
 * removed between pages neither repeat nor shift the rest.
 */
final class ListingPage {

  /** The most entries a page holds, whatever their size. */
  static final int MAX_ENTRIES = 1000;
  /**
   * The most bytes a page's entries take inside a frame header, quoted as the answer's string:
   * 48 KiB leaves the rest of 64 KiB for the answer's prefix and the header's other fields.
   */
  static final int MAX_WIRE_BYTES = 48 * 1024;
  /** A cursor is a type letter, a slash and a name of at most 255 UTF-8 bytes. */
  private static final int MAX_CURSOR_CHARS = 2 + 255;

  /** Where an entry sorts: directories first, then by name. */
  record Key(boolean directory, String name) implements Comparable<Key> {

    static Key of(JsonObject entry) {
      return new Key(StorageApi.TYPE_DIR.equals(entry.getString(StorageApi.TYPE)), entry.getString(StorageApi.NAME));
    }

    /** The key a cursor names; BAD_REQUEST for anything a page never answered. */
    static Key parse(String cursor) {
      if (cursor.length() < 3 || cursor.length() > MAX_CURSOR_CHARS || cursor.charAt(1) != '/'
        || (cursor.charAt(0) != 'd' && cursor.charAt(0) != 'f')) {
        throw Failure.BAD_REQUEST.exception("not a listing cursor");
      }
      return new Key(cursor.charAt(0) == 'd', cursor.substring(2));
    }

    String cursor() {
      return (directory ? "d/" : "f/") + name;
    }

    @Override
    public int compareTo(Key other) {
      if (directory != other.directory) {
        return directory ? -1 : 1;
      }
      return name.compareTo(other.name);
    }
  }

  private final Key after;
  private final TreeMap<Key, JsonObject> kept = new TreeMap<>();

  /** @param after the cursor of the page before, or null for the first page */
  ListingPage(String after) {
    this.after = after == null ? null : Key.parse(after);
  }

  /** Considers one entry of the directory. */
  void offer(JsonObject entry) {
    Key key = Key.of(entry);
    if (after != null && key.compareTo(after) <= 0) {
      return;
    }
    if (kept.size() > MAX_ENTRIES) {
      if (key.compareTo(kept.lastKey()) >= 0) {
        return;
      }
      kept.pollLastEntry();
    }
    kept.put(key, entry);
  }

  /** {entries, next?}: {@code next} is there when entries after this page remain. */
  JsonObject reply() {
    JsonArray entries = new JsonArray();
    long bytes = 2; // the array's brackets
    Key last = null;
    for (Map.Entry<Key, JsonObject> entry : kept.entrySet()) {
      long cost = wireBytes(entry.getValue()) + 1;
      if (entries.size() == MAX_ENTRIES || (bytes + cost > MAX_WIRE_BYTES && !entries.isEmpty())) {
        break;
      }
      entries.add(entry.getValue());
      bytes += cost;
      last = entry.getKey();
    }
    JsonObject reply = new JsonObject().put(StorageApi.ENTRIES, entries);
    if (last != null && entries.size() < kept.size()) {
      reply.put(StorageApi.NEXT, last.cursor());
    }
    return reply;
  }

  /**
   * The bytes an entry takes in an answer: its JSON, in which each {@code "} and {@code \} is
   * escaped once more when the listing travels as the header's string {@code data}.
   */
  static long wireBytes(JsonObject entry) {
    String json = entry.encode();
    long escapes = json.chars().filter(c -> c == '"' || c == '\\').count();
    return json.getBytes(StandardCharsets.UTF_8).length + escapes;
  }
}
