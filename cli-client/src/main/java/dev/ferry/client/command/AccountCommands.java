package dev.ferry.client.command;

import dev.ferry.client.FerryException;
import dev.ferry.client.Messages;
import dev.ferry.client.RefusedException;
import dev.ferry.client.UsageException;
import dev.ferry.client.format.QuotaBar;
import dev.ferry.client.format.SafeText;
import dev.ferry.client.format.Sizes;
import dev.ferry.client.format.TextTable;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.Role;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

import static dev.ferry.client.command.ShellCommand.Form.SERVER;

/** Quota and the admin commands of PROTOCOL.md sections 3 and 7, and {@code recount} (issue 4). */
final class AccountCommands {

  private static final String PURGE_FLAG = "--purge";
  private static final String PURGE = "purge";
  /** The share of no limit: the users table's percentage cell for an unlimited account. */
  private static final String NO_PERCENT = "-";

  private AccountCommands() {
  }

  static List<ShellCommand> all() {
    return List.of(
      new ShellCommand("quota", List.of(), 0, 1, SERVER, AccountCommands::quota),
      new ShellCommand("users", List.of(), 0, 0, SERVER, AccountCommands::users),
      new ShellCommand("useradd", List.of(), 3, 3, SERVER, AccountCommands::checkUserAdd, AccountCommands::userAdd),
      new ShellCommand("userdel", List.of(), 1, 2, SERVER, AccountCommands::checkUserDel, AccountCommands::userDel),
      new ShellCommand("passwd", List.of(), 0, 1, SERVER, AccountCommands::passwd),
      new ShellCommand("lock", List.of(), 1, 1, SERVER, (c, a) -> simple(c, Command.LOCK, a.get(0), "account.locked")),
      new ShellCommand("unlock", List.of(), 1, 1, SERVER, (c, a) -> simple(c, Command.UNLOCK, a.get(0), "account.unlocked")),
      new ShellCommand("setquota", List.of(), 2, 2, SERVER, args -> size(args.get(1)), AccountCommands::setQuota),
      new ShellCommand("recount", List.of(), 1, 1, SERVER, AccountCommands::recount),
      new ShellCommand("setkey", List.of(), 1, 2, SERVER, AccountCommands::setKey));
  }

  /** {@code quota} answers {@code <used>*<limit>}, limit {@code 0} meaning unlimited. */
  private static void quota(CommandContext c, List<String> args) throws FerryException {
    String account = args.isEmpty() ? "" : args.get(0);
    QuotaUsage usage = c.session().quota(account);
    String who = account.isEmpty() ? c.session().account() : account;
    c.out().println(quotaLine(c.messages(), who, usage, c.onTerminal()));
  }

  /**
   * {@code recount ACCOUNT} (admin): the server counts the account's files and partial uploads
   * on disk again and answers the result like {@code quota}, which is shown the same way.
   */
  private static void recount(CommandContext c, List<String> args) throws FerryException {
    QuotaUsage usage = c.session().recount(args.get(0));
    c.out().println(quotaLine(c.messages(), args.get(0), usage, c.onTerminal()));
  }

  /**
   * {@code alice: used 3.2 MiB of 10.0 MiB (32%)}, and with {@code bar} the usage bar after it;
   * {@code alice: used 3.2 MiB, unlimited} when there is no limit (no bar: nothing to fill).
   */
  static String quotaLine(Messages messages, String account, QuotaUsage usage, boolean bar) {
    String who = SafeText.of(account);
    if (usage.unlimited()) {
      return messages.get("quota.unlimited", who, Sizes.human(usage.used()));
    }
    String line = messages.get("quota.limited", who, Sizes.human(usage.used()), Sizes.human(usage.limit()),
      QuotaBar.percentText(usage.used(), usage.limit()));
    return bar ? line + " " + QuotaBar.of(usage.used(), usage.limit()) : line;
  }

  private static void users(CommandContext c, List<String> args) throws FerryException {
    c.out().print(usersTable(c.session().expectJsonArray(Command.USERS, ""), c.messages()));
  }

  /**
   * {@code users}: a JSON array of {@code {"account","role","locked","quota","used"}}, shown as
   * a table with sizes for people, {@code unlimited} for quota 0, and the share of the quota used.
   */
  static String usersTable(String json, Messages messages) throws RefusedException {
    JsonArray array;
    try {
      array = new JsonArray(json);
    } catch (DecodeException e) {
      throw new RefusedException(json);
    }
    Messages m = messages;
    TextTable table = new TextTable(false, false, false, true, true, true)
      .row(m.get("users.account"), m.get("users.role"), m.get("users.locked"), m.get("users.used"), m.get("users.quota"),
        m.get("users.percent"));
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject user)) {
        continue;
      }
      QuotaUsage usage = new QuotaUsage(number(user, "used"), number(user, "quota"));
      table.row(SafeText.of(String.valueOf(user.getValue("account", ""))),
        SafeText.of(String.valueOf(user.getValue("role", ""))),
        m.get(Boolean.parseBoolean(String.valueOf(user.getValue("locked", false))) ? "users.yes" : "users.no"),
        Sizes.human(usage.used()),
        usage.unlimited() ? m.get("users.unlimited") : Sizes.human(usage.limit()),
        usage.unlimited() ? NO_PERCENT : QuotaBar.percentText(usage.used(), usage.limit()));
    }
    return table.render();
  }

  private static long number(JsonObject o, String field) {
    Object value = o.getValue(field);
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return value == null ? 0 : Long.parseLong(value.toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void checkUserAdd(List<String> args) throws UsageException {
    if (Role.parse(args.get(1)).isEmpty()) {
      throw new UsageException("useradd.bad-role", args.get(1));
    }
    size(args.get(2));
  }

  /**
   * {@code useradd <account>*<password>*<role>*<quota bytes>}. The password is asked for (from a
   * pipe: read as the next line), never taken from the command line, where other local users
   * could read it in the process list and the shell would keep it in its history.
   */
  private static void userAdd(CommandContext c, List<String> args) throws FerryException {
    String account = args.get(0);
    String role = args.get(1);
    long quota = size(args.get(2));
    String password = Secrets.newPassword(c, account);
    c.session().expectOk(Command.USERADD, Replies.join(account, password, role, quota));
    c.out().println(c.messages().get("account.created", account, role, Sizes.human(quota)));
  }

  private static void checkUserDel(List<String> args) throws UsageException {
    if (args.size() > 1 && !args.get(1).equals(PURGE_FLAG)) {
      throw new UsageException("usage.command", new Messages.Ref("command.userdel.usage"));
    }
  }

  /** {@code userdel <account>[*purge]}: files are kept unless purged. */
  private static void userDel(CommandContext c, List<String> args) throws FerryException {
    boolean purge = args.size() > 1;
    String account = args.get(0);
    c.session().expectOk(Command.USERDEL, purge ? Replies.join(account, PURGE) : account);
    c.out().println(c.messages().get(purge ? "account.deleted-purged" : "account.deleted", account));
  }

  /**
   * {@code passwd}: an admin sends {@code <account>*<new>}; a user changes only their own,
   * sending {@code <old>*<new>} (PROTOCOL.md section 7).
   */
  private static void passwd(CommandContext c, List<String> args) throws FerryException {
    RemoteSession session = c.session();
    String account = args.isEmpty() ? session.account() : args.get(0);
    String data;
    if (session.role() == Role.ADMIN) {
      data = Replies.join(account, Secrets.newPassword(c, account));
    } else {
      if (!account.equals(session.account())) {
        throw new RefusedException(Replies.NO_PERMISSION);
      }
      String old = Secrets.checkOldPassword(Secrets.ask(c, c.messages().get("passwd.old", account)));
      data = Replies.join(old, Secrets.newPassword(c, account));
    }
    session.expectOk(Command.PASSWD, data);
    c.out().println(c.messages().get("account.password-changed", account));
  }

  private static void setQuota(CommandContext c, List<String> args) throws FerryException {
    long bytes = size(args.get(1));
    c.session().expectOk(Command.SETQUOTA, Replies.join(args.get(0), bytes));
    c.out().println(c.messages().get("account.quota-set", args.get(0), bytes == 0 ? c.messages().get("users.unlimited") : Sizes.human(bytes)));
  }

  /**
   * {@code setkey ACCOUNT ["ssh-ed25519 AAAA..."]}: the SSH public key(s) the account logs in with
   * at the SFTP door (an admin for anyone, a user for themself); without a key, removes them.
   */
  private static void setKey(CommandContext c, List<String> args) throws FerryException {
    String keys = args.size() > 1 ? args.get(1) : "";
    c.session().expectOk(Command.SETKEY, args.get(0) + "*" + keys);
    c.out().println(c.messages().get(keys.isBlank() ? "account.keysRemoved" : "account.keySet", args.get(0)));
  }

  private static void simple(CommandContext c, Command command, String account, String doneKey) throws FerryException {
    c.session().expectOk(command, account);
    c.out().println(c.messages().get(doneKey, account));
  }

  private static long size(String text) throws UsageException {
    try {
      return Sizes.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException("size.bad", text);
    }
  }
}
