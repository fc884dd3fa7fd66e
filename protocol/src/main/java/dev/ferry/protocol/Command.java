package dev.ferry.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The closed vocabulary of {@code cmd} values (PROTOCOL.md sections 3, 4, 5 and 7). */
public enum Command {
  LOGIN("login"),
  /** Extension: a session ticket for more connections of the same login. */
  TICKET("ticket"),
  /** Extension: a login with a session ticket instead of a password. */
  TICKET_LOGIN("ticket_login"),
  VIEW("view"),
  /** Extension: one page of a listing, after a cursor. */
  LIST("list"),
  CD("cd"),
  PWD("pwd"),
  MKDIR("mkdir"),
  RM("rm"),
  RENAME("rename"),
  QUOTA("quota"),
  CHECKSUM("checksum"),
  LOGOUT("logout"),
  DOWNLOAD("download"),
  DOWNLOAD_RES("download_RES"),
  DOWNLOAD_ING("download_ing"),
  UPLOAD("upload"),
  UPLOADING("uploading"),
  USERADD("useradd"),
  USERDEL("userdel"),
  PASSWD("passwd"),
  LOCK("lock"),
  UNLOCK("unlock"),
  SETQUOTA("setquota"),
  USERS("users"),
  RECOUNT("recount"),
  SETKEY("setkey"),
  HELLO("hello"),
  ERROR("error"),
  UNKNOWN("");

  private static final Map<String, Command> BY_WIRE = Arrays.stream(values())
    .filter(c -> c != UNKNOWN)
    .collect(Collectors.toUnmodifiableMap(Command::wire, Function.identity()));

  private final String wire;

  Command(String wire) {
    this.wire = wire;
  }

  /** The {@code cmd} string on the wire. */
  public String wire() {
    return wire;
  }

  public static Command of(String wire) {
    return BY_WIRE.getOrDefault(wire, UNKNOWN);
  }

  /** Whether a client may send a payload with this command: only upload chunks carry one. */
  public static boolean clientPayloadAllowed(String cmd) {
    return UPLOADING.wire.equals(cmd);
  }

  /** Whether a server may send a payload with this command: only download chunks carry one. */
  public static boolean serverPayloadAllowed(String cmd) {
    return DOWNLOAD_ING.wire.equals(cmd);
  }
}
