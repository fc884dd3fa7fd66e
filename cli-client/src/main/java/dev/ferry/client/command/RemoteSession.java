package dev.ferry.client.command;

import dev.ferry.client.ConnectionException;
import dev.ferry.client.ReplyMeaning;
import dev.ferry.client.RefusedException;
import dev.ferry.client.Target;
import dev.ferry.client.net.Connection;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.Role;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A logged-in session: the connection, who is logged in, and the working directory the server
 * keeps for it (tracked here for the prompt).
 */
public final class RemoteSession implements Closeable {

  private static final Pattern TWO_NUMBERS = Pattern.compile("\\d+\\*\\d+");

  private final Connection connection;
  private final Target target;
  private final Role role;
  private final String home;
  private String cwd;

  private RemoteSession(Connection connection, Target target, Role role, String home) {
    this.connection = connection;
    this.target = target;
    this.role = role;
    this.home = home;
    this.cwd = home;
  }

  /**
   * PROTOCOL.md section 3: {@code login} with the role asked for answers {@code 1*<home>*<listing>},
   * or {@code 0} (no such account), {@code 2} (wrong account or password), {@code 9} (locked).
   */
  public static RemoteSession login(Connection connection, Target target, String password, Role role)
    throws ConnectionException {
    String reply;
    try {
      reply = connection.request(new Header(target.user(), password, Command.LOGIN.wire(), role.wire()));
    } catch (IOException e) {
      throw new ConnectionException(e, "connection.lost", e.getMessage());
    }
    String[] fields = reply.split(Pattern.quote(Replies.SEP), 3);
    if (fields.length < 2 || !fields[0].equals(Replies.LOGIN_OK)) {
      throw new ConnectionException("login.refused", target.display(), ReplyMeaning.meaning(reply));
    }
    connection.account(target.user());
    return new RemoteSession(connection, target, role, fields[1]);
  }

  public String account() {
    return target.user();
  }

  public Target target() {
    return target;
  }

  public Role role() {
    return role;
  }

  public String home() {
    return home;
  }

  /** The working directory as of the last {@code cd} or {@code pwd}. */
  public String cwd() {
    return cwd;
  }

  /** The frame-level seam for transfers, which exchange more than one frame per command. */
  public Connection connection() {
    return connection;
  }

  /** Sends a command and returns the server's {@code data}, whatever it is. */
  public String call(Command command, String data) throws ConnectionException {
    try {
      return connection.request(command.wire(), data);
    } catch (IOException e) {
      throw new ConnectionException(e, "connection.lost", e.getMessage());
    }
  }

  /** For commands whose success is {@code OK}. */
  public void expectOk(Command command, String data) throws ConnectionException, RefusedException {
    String reply = call(command, data);
    if (!reply.equals(Replies.OK)) {
      throw new RefusedException(reply);
    }
  }

  /** For commands whose success is a JSON array ({@code view}, {@code users}). */
  public String expectJsonArray(Command command, String data) throws ConnectionException, RefusedException {
    String reply = call(command, data);
    if (!reply.startsWith("[")) {
      throw new RefusedException(reply);
    }
    return reply;
  }

  /** For {@code quota}: {@code <used>*<limit>}. */
  public long[] quota(String account) throws ConnectionException, RefusedException {
    String reply = call(Command.QUOTA, account);
    if (!TWO_NUMBERS.matcher(reply).matches()) {
      throw new RefusedException(reply);
    }
    String[] fields = reply.split(Pattern.quote(Replies.SEP));
    return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
  }

  public List<RemoteEntry> list(String path) throws ConnectionException, RefusedException {
    return RemoteEntry.parseListing(expectJsonArray(Command.VIEW, path));
  }

  /** {@code cd} answers {@code OK*<new working dir>}. */
  public String changeDirectory(String path) throws ConnectionException, RefusedException {
    String reply = call(Command.CD, path);
    String ok = Replies.OK + Replies.SEP;
    if (!reply.startsWith(ok)) {
      throw new RefusedException(reply);
    }
    cwd = reply.substring(ok.length());
    return cwd;
  }

  /** {@code pwd} answers the working directory, an absolute path. */
  public String printWorkingDirectory() throws ConnectionException, RefusedException {
    String reply = call(Command.PWD, "");
    if (!reply.startsWith("/")) {
      throw new RefusedException(reply);
    }
    cwd = reply;
    return cwd;
  }

  /** Says goodbye ({@code logout} answers {@code BYE}, then the server closes) and closes the socket. */
  @Override
  public void close() {
    try {
      connection.request(Command.LOGOUT.wire(), "");
    } catch (IOException e) {
      // The session is ending anyway; a server that already closed is no failure.
    }
    try {
      connection.close();
    } catch (IOException e) {
      // Nothing left to release.
    }
  }
}
