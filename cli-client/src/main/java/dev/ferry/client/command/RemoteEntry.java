package dev.ferry.client.command;

import dev.ferry.client.ConnectionException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a {@code <listing>}: PROTOCOL.md section 3, a JSON array of
 * {@code {"name","type":"dir"|"file","size","mtime"}}, directories first, then by name.
 */
public record RemoteEntry(String name, boolean directory, long size, long mtimeMillis) {

  public static List<RemoteEntry> parseListing(String listing) throws ConnectionException {
    try {
      JsonArray array = new JsonArray(listing);
      List<RemoteEntry> entries = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        JsonObject o = array.getJsonObject(i);
        entries.add(new RemoteEntry(o.getString("name", ""), "dir".equals(o.getString("type")),
          number(o, "size"), number(o, "mtime")));
      }
      return entries;
    } catch (DecodeException | ClassCastException e) {
      throw new ConnectionException(e, "protocol.bad-listing");
    }
  }

  private static long number(JsonObject o, String field) {
    Number n = o.getNumber(field);
    return n == null ? 0 : n.longValue();
  }
}
