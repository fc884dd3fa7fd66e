package dev.ferry.protocol;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The JSON header of a frame: the seed's {@code {"account","password","cmd","data"}} object.
 * A missing {@code account}, {@code password} or {@code data} reads as {@code ""}
 * (PROTOCOL.md section 1); unknown extra fields are ignored.
 */
public record Header(String account, String password, String cmd, String data) {

  public Header {
    account = account == null ? "" : account;
    password = password == null ? "" : password;
    cmd = cmd == null ? "" : cmd;
    data = data == null ? "" : data;
  }

  /** A server reply: the server never echoes a password, so {@code password} is always empty. */
  public static Header reply(String account, String cmd, String data) {
    return new Header(account, "", cmd, data);
  }

  public JsonObject toJson() {
    return new JsonObject().put("account", account).put("password", password).put("cmd", cmd).put("data", data);
  }

  /** The header without secrets, for logs: no password, and no data of commands that carry one. */
  @Override
  public String toString() {
    boolean secret = cmd.equals("useradd") || cmd.equals("passwd");
    return "Header[account=" + account + ", cmd=" + cmd + ", data=" + (secret ? "(hidden)" : abbreviate(data)) + "]";
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  /**
   * Parses header bytes: strict UTF-8, one JSON object, string fields, a non-empty {@code cmd}.
   *
   * @throws BadFrameException with the reason the protocol reports
   */
  public static Header parse(byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
    } catch (CharacterCodingException e) {
      throw new BadFrameException(BadFrameException.NOT_UTF8);
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new BadFrameException(BadFrameException.NOT_JSON_OBJECT);
    }
    Header header = new Header(field(json, "account"), field(json, "password"), field(json, "cmd"), field(json, "data"));
    if (header.cmd().isEmpty()) {
      throw new BadFrameException(BadFrameException.NO_CMD);
    }
    return header;
  }

  private static String field(JsonObject json, String name) {
    Object value = json.getValue(name);
    if (value == null) {
      return "";
    }
    if (!(value instanceof String s)) {
      throw new BadFrameException(BadFrameException.FIELD_NOT_STRING);
    }
    return s;
  }
}
