package dev.ferry.client;

import dev.ferry.protocol.AccountName;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a command goes: {@code [user@]host[:port]}, and for one-shot commands on files
 * {@code [user@]host[:port]:path} (like scp). After the host, a colon followed only by digits
 * is the port: write {@code host:./123} for a file named {@code 123}. An IPv6 address is
 * written in brackets: {@code alice@[::1]:2121:/docs}.
 *
 * @param user   the account to log in as
 * @param host   the host name or address, without brackets
 * @param port   the TCP port
 * @param path   the remote path, {@code ""} for the working directory (or when none was written)
 * @param prefix the text that named the server up to and including the colon before the path,
 *               {@code ""} if no path was written; further arguments of a one-shot command that
 *               start with the same text name the same server
 */
public record Target(String user, String host, int port, String path, String prefix) {

  public static final int DEFAULT_PORT = 2121;

  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.%]+");
  private static final Pattern PORT_ONLY = Pattern.compile("(\\d{1,5})");
  private static final Pattern PORT_THEN_PATH = Pattern.compile("(\\d{1,5}):(.*)", Pattern.DOTALL);

  /** Parses {@code [user@]host[:port]}. */
  public static Target parseServer(String text, String defaultUser) throws UsageException {
    return parse(text, defaultUser, false);
  }

  /** Parses {@code [user@]host[:port][:path]}. */
  public static Target parseRemote(String text, String defaultUser) throws UsageException {
    return parse(text, defaultUser, true);
  }

  /** The key of this server in {@code known_servers}: {@code host:port}, IPv6 in brackets. */
  public String serverKey() {
    String h = host.toLowerCase(Locale.ROOT);
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
  }

  /** {@code user@host} or {@code user@host:port} when the port is not the default, for prompts. */
  public String display() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return user + "@" + h + (port == DEFAULT_PORT ? "" : ":" + port);
  }

  private static Target parse(String text, String defaultUser, boolean withPath) throws UsageException {
    if (text == null || text.isEmpty()) {
      throw new UsageException("target.missing");
    }
    String user = defaultUser;
    String rest = text;
    int at = text.indexOf('@');
    int colon = text.indexOf(':');
    if (at >= 0 && (colon < 0 || at < colon)) {
      user = text.substring(0, at);
      rest = text.substring(at + 1);
    }
    if (!AccountName.isValid(user)) {
      throw new UsageException("target.bad-user", user, text);
    }
    String host;
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw new UsageException("target.bad-host", text);
      }
      host = rest.substring(1, close);
      if (!IPV6.matcher(host).matches() || host.indexOf(':') < 0) {
        throw new UsageException("target.bad-host", text);
      }
      rest = rest.substring(close + 1);
    } else {
      int end = rest.indexOf(':');
      host = end < 0 ? rest : rest.substring(0, end);
      rest = end < 0 ? "" : rest.substring(end);
      if (!HOST_NAME.matcher(host).matches()) {
        throw new UsageException("target.bad-host", text);
      }
    }
    if (rest.isEmpty()) {
      return new Target(user, host, DEFAULT_PORT, "", "");
    }
    if (!rest.startsWith(":")) {
      throw new UsageException("target.bad-host", text);
    }
    String afterHost = rest.substring(1);
    String serverText = text.substring(0, text.length() - afterHost.length());
    Matcher portOnly = PORT_ONLY.matcher(afterHost);
    if (portOnly.matches()) {
      return new Target(user, host, port(portOnly.group(1), text), "", "");
    }
    if (!withPath) {
      throw new UsageException("target.bad-port", text);
    }
    Matcher portThenPath = PORT_THEN_PATH.matcher(afterHost);
    if (portThenPath.matches()) {
      String path = portThenPath.group(2);
      return new Target(user, host, port(portThenPath.group(1), text), path, text.substring(0, text.length() - path.length()));
    }
    return new Target(user, host, DEFAULT_PORT, afterHost, serverText);
  }

  private static int port(String digits, String text) throws UsageException {
    int port = Integer.parseInt(digits);
    if (port < 1 || port > 65535) {
      throw new UsageException("target.bad-port", text);
    }
    return port;
  }
}
