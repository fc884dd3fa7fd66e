package dev.ferry.client.command;

import dev.ferry.client.ConnectionException;
import dev.ferry.client.RefusedException;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Replies;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole listing, fetched a page at a time with {@code list} (PROTOCOL.md section 3, extension):
 * {@code MORE*<cursor>*<listing>} asks for the next page with {@code <path>*<cursor>},
 * {@code LAST*<listing>} ends it. A server without {@code list} answers {@code UNKNOWN_COMMAND},
 * and then {@code view} gives what it has.
 */
public final class RemoteListing {

  /** The most entries the client takes in from one listing, so a hostile server cannot fill its memory. */
  public static final int MAX_ENTRIES = 1_000_000;

  /** Sends one command and returns the server's {@code data}. */
  @FunctionalInterface
  public interface Requests {
    String request(String cmd, String data) throws IOException;
  }

  private RemoteListing() {
  }

  /**
   * Every entry of {@code path}, directories first then by name; a file lists itself.
   *
   * @throws RefusedException with the server's answer when the path cannot be listed
   * @throws ConnectionException when an answer is not a listing page
   */
  public static List<RemoteEntry> all(Requests requests, String path) throws IOException, ConnectionException, RefusedException {
    List<RemoteEntry> entries = new ArrayList<>();
    String cursor = null;
    while (true) {
      String reply = requests.request(Command.LIST.wire(), cursor == null ? path : path + Replies.SEP + cursor);
      if (cursor == null && reply.equals(Replies.UNKNOWN_COMMAND)) {
        return view(requests, path);
      }
      String last = Replies.LIST_LAST + Replies.SEP;
      String more = Replies.LIST_MORE + Replies.SEP;
      if (reply.startsWith(last)) {
        entries.addAll(RemoteEntry.parseListing(reply.substring(last.length())));
        return entries;
      }
      if (!reply.startsWith(more)) {
        throw new RefusedException(reply);
      }
      int end = reply.indexOf(Replies.SEP, more.length());
      if (end < 0) {
        throw new ConnectionException("protocol.bad-listing");
      }
      String next = reply.substring(more.length(), end);
      List<RemoteEntry> page = RemoteEntry.parseListing(reply.substring(end + 1));
      // Each page must move on: a cursor that repeats, or an empty page, would never end.
      if (next.equals(cursor) || page.isEmpty() || entries.size() + page.size() > MAX_ENTRIES) {
        throw new ConnectionException("protocol.bad-listing");
      }
      entries.addAll(page);
      cursor = next;
    }
  }

  /** {@code view}: the one answer of a server that has no {@code list}. */
  private static List<RemoteEntry> view(Requests requests, String path) throws IOException, ConnectionException, RefusedException {
    String reply = requests.request(Command.VIEW.wire(), path);
    if (!reply.startsWith("[")) {
      throw new RefusedException(reply);
    }
    return RemoteEntry.parseListing(reply);
  }
}
