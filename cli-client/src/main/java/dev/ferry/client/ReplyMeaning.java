package dev.ferry.client;

import dev.ferry.client.format.SafeText;
import dev.ferry.protocol.Replies;

import java.util.Map;

/**
 * Plain words for the server's answers. The protocol keeps the seed's Chinese answers word for
 * word (PROTOCOL.md section 2: {@code 没有访问权限!}, {@code 路径不存在!}); the user sees their
 * meaning in their language, with the original answer beside it.
 */
public final class ReplyMeaning {

  private static final Map<String, String> KEYS = Map.ofEntries(
    Map.entry(Replies.NO_PERMISSION, "reply.no-permission"),
    Map.entry(Replies.NO_SUCH_PATH, "reply.no-such-path"),
    Map.entry(Replies.FILE_NOT_EXISTS, "reply.file-not-exists"),
    Map.entry(Replies.NOT_LOGGED_IN, "reply.not-logged-in"),
    Map.entry(Replies.UNKNOWN_COMMAND, "reply.unknown-command"),
    Map.entry(Replies.BAD_NAME, "reply.bad-name"),
    Map.entry(Replies.ALREADY_EXISTS, "reply.already-exists"),
    Map.entry(Replies.NOT_EMPTY, "reply.not-empty"),
    Map.entry(Replies.NOT_A_DIRECTORY, "reply.not-a-directory"),
    Map.entry(Replies.WEAK_PASSWORD, "reply.weak-password"),
    Map.entry(Replies.BAD_ARGUMENTS, "reply.bad-arguments"),
    Map.entry(Replies.LOGIN_NO_SUCH_ACCOUNT, "reply.no-such-account"),
    Map.entry(Replies.LOGIN_BAD_CREDENTIALS, "reply.bad-credentials"),
    Map.entry(Replies.LOGIN_LOCKED, "reply.locked"),
    // Extension: refused for load, not for the request; a later try may pass.
    Map.entry(Replies.BUSY, "reply.busy"),
    Map.entry(Replies.join(Replies.BUSY, Replies.BUSY_HASHING), "reply.busy-hashing"),
    Map.entry(Replies.join(Replies.BUSY, Replies.BUSY_RATE_LIMITED), "reply.busy-rate-limited"),
    Map.entry(Replies.join(Replies.BUSY, Replies.BUSY_SESSIONS), "reply.busy-sessions"),
    // docs/PROTOCOL.md: ERROR answers a command the server could not complete for an internal reason.
    Map.entry("ERROR", "reply.error"));

  private ReplyMeaning() {
  }

  /** The message key for a reply, or {@code reply.other} for an answer this client does not know. */
  public static String keyOf(String reply) {
    if (reply.startsWith(Replies.BAD_FRAME + Replies.SEP)) {
      return "reply.bad-frame";
    }
    return KEYS.getOrDefault(reply, "reply.other");
  }

  /**
   * The meaning of a reply, as a message to show on its own or inside another. The server's own
   * words in it pass {@link SafeText}, as names do: an answer this client does not know is shown
   * as it came, and a hostile server must not reach the terminal with escape sequences.
   */
  public static Messages.Ref meaning(String reply) {
    String key = keyOf(reply);
    if (key.equals("reply.bad-frame")) {
      return new Messages.Ref(key, SafeText.of(reply.substring(Replies.BAD_FRAME.length() + 1)));
    }
    return new Messages.Ref(key, SafeText.of(reply));
  }

  public static String describe(Messages messages, String reply) {
    Messages.Ref meaning = meaning(reply);
    return messages.get(meaning.key(), meaning.args());
  }
}
