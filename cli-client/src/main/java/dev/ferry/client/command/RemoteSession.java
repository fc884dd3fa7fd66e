package dev.ferry.client.command;

import dev.ferry.client.ConnectionException;
import dev.ferry.client.ReplyMeaning;
import dev.ferry.client.RefusedException;
import dev.ferry.client.Target;
import dev.ferry.client.net.Connection;
import dev.ferry.client.net.Connector;
import dev.ferry.client.net.ServerBusyException;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.Role;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A logged-in session: the connection, who is logged in, and the working directory the server
 * keeps for it (tracked here for the prompt). A session opened with a way to reconnect can
 * replace a lost connection by a new, logged-in one ({@link #reconnect}): transfers resume that way.
 */
public final class RemoteSession implements Closeable {

  /**
   * Tries of a login in all while the server answers {@code BUSY*HASHING}: about 7.5 s of pauses,
   * longer than a full default hashing queue takes to drain on one thread (33 hashes of 0.14 s).
   */
  public static final int BUSY_LOGIN_TRIES = 5;
  static final long FIRST_BUSY_DELAY_MILLIS = 500;
  private static final String BUSY_HASHING = Replies.join(Replies.BUSY, Replies.BUSY_HASHING);

  /** Opens a new connection to the same server (its certificate already checked and recorded). */
  @FunctionalInterface
  public interface Reopener {
    Connection open() throws ConnectionException;
  }

  private final Target target;
  private final Role role;
  private final String home;
  /** Kept only when the session may reconnect: logging in again needs it. */
  private final String password;
  private final Reopener reopener;
  /** For a connection beside the first: the ticket it logs in with again; null for the first. */
  private final SessionTickets tickets;
  /** Replaced by {@link #reconnect}; read by a Ctrl-C handler on another thread. */
  private volatile Connection connection;
  private String cwd;

  private RemoteSession(Connection connection, Target target, Role role, String home, String password, Reopener reopener,
                        SessionTickets tickets) {
    this.connection = connection;
    this.tickets = tickets;
    this.target = target;
    this.role = role;
    this.home = home;
    this.password = password;
    this.reopener = reopener;
    this.cwd = home;
  }

  /** A session that cannot reconnect: a lost connection ends it. */
  public static RemoteSession login(Connection connection, Target target, String password, Role role)
    throws ConnectionException {
    return login(connection, target, password, role, null);
  }

  /**
   * PROTOCOL.md section 3: {@code login} with the role asked for answers {@code 1*<home>*<listing>},
   * or {@code 0} (no such account), {@code 2} (wrong account or password), {@code 9} (locked), or
   * (extension) {@code BUSY*HASHING}, {@code BUSY*RATE_LIMITED} when the server did not try it.
   *
   * @param reopener how to open another connection for {@link #reconnect}, or null for none
   */
  public static RemoteSession login(Connection connection, Target target, String password, Role role, Reopener reopener)
    throws ConnectionException {
    String home = logIn(connection, target, password, role);
    return new RemoteSession(connection, target, role, home, reopener == null ? null : password, reopener, null);
  }

  /**
   * Logs in on {@code connection}; returns the home. A login answered {@code BUSY*HASHING} (the
   * server's password hashing is saturated for a moment) is tried again after a pause, up to
   * {@link #BUSY_LOGIN_TRIES} tries in all.
   */
  private static String logIn(Connection connection, Target target, String password, Role role) throws ConnectionException {
    String reply;
    int tries = 0;
    try {
      while (true) {
        reply = connection.request(new Header(target.user(), password, Command.LOGIN.wire(), role.wire()));
        tries++;
        if (!reply.equals(BUSY_HASHING) || tries == BUSY_LOGIN_TRIES || !pause(busyDelayMillis(tries))) {
          break;
        }
      }
    } catch (ServerBusyException e) {
      throw Connector.busy(e, target.serverKey());
    } catch (IOException e) {
      throw new ConnectionException(e, "connection.lost", e.getMessage());
    }
    return loggedIn(connection, target, reply);
  }

  /** A login's answer, {@code 1*<home>*<listing>}: the home; any other answer is a refusal. */
  private static String loggedIn(Connection connection, Target target, String reply) throws ConnectionException {
    String[] fields = reply.split(Pattern.quote(Replies.SEP), 3);
    if (fields.length < 2 || !fields[0].equals(Replies.LOGIN_OK)) {
      throw new ConnectionException("login.refused", target.display(), ReplyMeaning.meaning(reply));
    }
    connection.account(target.user());
    return fields[1];
  }

  /**
   * Logs in on a new connection of this session: with the ticket when this is a connection
   * beside the first and there is one (PROTOCOL.md {@code ticket_login}), else with the password,
   * after which it asks for a fresh ticket if the connections need one.
   */
  private String logInAgain(Connection fresh) throws ConnectionException, IOException {
    String ticket = tickets == null ? null : tickets.current();
    if (ticket != null) {
      String reply;
      try {
        reply = fresh.request(new Header(target.user(), "", Command.TICKET_LOGIN.wire(), ticket));
      } catch (ServerBusyException e) {
        throw Connector.busy(e, target.serverKey());
      }
      if (!reply.equals(Replies.LOGIN_BAD_CREDENTIALS)) {
        return loggedIn(fresh, target, reply);
      }
      // Expired, or the server restarted: the password, once.
      tickets.refused(ticket);
    }
    String home = logIn(fresh, target, password, role);
    if (tickets != null && tickets.wanted()) {
      String reply = fresh.request(Command.TICKET.wire(), "");
      if (SessionTickets.isTicket(reply)) {
        tickets.offer(reply);
      }
    }
    return home;
  }

  /**
   * Extension {@code ticket}: a session ticket for more connections of this login, or null when
   * the server gives none (an older one answers {@code UNKNOWN_COMMAND}).
   */
  public String ticket() throws ConnectionException {
    String reply = call(Command.TICKET, "");
    return SessionTickets.isTicket(reply) ? reply : null;
  }

  /**
   * Another connection of this login, for a transfer beside this session's own: it logs in, and
   * again after {@link #reconnect}, with the ticket {@code tickets} holds, or the password when
   * there is none. It starts at the home; the caller closes it.
   *
   * @throws ConnectionException if the session cannot reconnect, or the connection or login fails
   */
  public RemoteSession beside(SessionTickets tickets) throws ConnectionException {
    if (reopener == null) {
      throw new ConnectionException("connection.no-reconnect");
    }
    RemoteSession other = new RemoteSession(null, target, role, home, password, reopener, tickets);
    Connection fresh = reopener.open();
    try {
      other.logInAgain(fresh);
      other.connection = fresh;
      return other;
    } catch (IOException e) {
      closeQuietly(fresh);
      throw new ConnectionException(e, "connection.lost", e.getMessage());
    } catch (ConnectionException e) {
      closeQuietly(fresh);
      throw e;
    }
  }

  /**
   * The pause before try {@code n + 1} of a login answered {@code BUSY*HASHING}: 0.5 s doubling,
   * each spread by up to a quarter either way so that clients turned away together come back apart.
   */
  static long busyDelayMillis(int n) {
    long delay = FIRST_BUSY_DELAY_MILLIS << (n - 1);
    return delay + ThreadLocalRandom.current().nextLong(-delay / 4, delay / 4 + 1);
  }

  /** Waits; false if interrupted (the login then ends with the answer it has). */
  private static boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public boolean canReconnect() {
    return reopener != null;
  }

  /**
   * Drops the current connection and opens a new one: connect, log in with the same account,
   * password and role, and go back to the working directory (the server starts a new session
   * at the home). If that directory is gone the session stays at the home.
   *
   * @throws ConnectionException if any step fails; the session then has no usable connection
   */
  public void reconnect() throws ConnectionException {
    if (reopener == null) {
      throw new ConnectionException("connection.no-reconnect");
    }
    closeQuietly(connection);
    Connection fresh = reopener.open();
    try {
      logInAgain(fresh);
      connection = fresh;
      if (!cwd.equals(home)) {
        String reply = fresh.request(Command.CD.wire(), cwd);
        if (!reply.startsWith(Replies.OK + Replies.SEP)) {
          cwd = home;
        }
      }
    } catch (IOException e) {
      closeQuietly(fresh);
      throw new ConnectionException(e, "connection.lost", e.getMessage());
    } catch (ConnectionException e) {
      closeQuietly(fresh);
      throw e;
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (IOException e) {
      // Being replaced or abandoned: nothing left to release.
    }
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

  /**
   * {@code quota}: the usage of the session's own account ({@code ""}) or, for an admin, of
   * another; refused with {@code 没有访问权限!} or {@code 0} (no such account).
   */
  public QuotaUsage quota(String account) throws ConnectionException, RefusedException {
    return usage(Command.QUOTA, account);
  }

  /**
   * {@code recount} (admin): the account's usage counted again from the disk, answered like
   * {@code quota}; refused with {@code 没有访问权限!} or {@code 0} (no such account).
   */
  public QuotaUsage recount(String account) throws ConnectionException, RefusedException {
    return usage(Command.RECOUNT, account);
  }

  private QuotaUsage usage(Command command, String account) throws ConnectionException, RefusedException {
    String reply = call(command, account);
    return QuotaUsage.parse(reply).orElseThrow(() -> new RefusedException(reply));
  }

  /** Every entry of {@code path}, fetched in pages ({@link RemoteListing}). */
  public List<RemoteEntry> list(String path) throws ConnectionException, RefusedException {
    try {
      return RemoteListing.all(connection::request, path);
    } catch (IOException e) {
      throw new ConnectionException(e, "connection.lost", e.getMessage());
    }
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
