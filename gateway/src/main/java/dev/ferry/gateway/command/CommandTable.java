package dev.ferry.gateway.command;

import dev.ferry.gateway.CommandHandler;
import dev.ferry.gateway.GatewayOptions;
import dev.ferry.gateway.Services;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.bus.AuthApi;

import java.util.EnumMap;
import java.util.Map;

/**
 * The one registry of command handlers (like MINA FtpServer's CommandFactory). A command
 * missing here answers {@code UNKNOWN_COMMAND}: that is the case of {@code hello} and
 * {@code error} sent by a client, which only the server sends.
 */
public final class CommandTable {

  private CommandTable() {
  }

  public static Map<Command, CommandHandler> create(Services services, GatewayOptions options) {
    Map<Command, CommandHandler> table = new EnumMap<>(Command.class);
    // PROTOCOL.md s3: session commands.
    LoginCommand login = new LoginCommand(services, options.maxLoginFailuresPerConnection());
    table.put(Command.LOGIN, login);
    // Extensions: session tickets for more connections of one login.
    table.put(Command.TICKET, new TicketCommand(services));
    table.put(Command.TICKET_LOGIN, new TicketLoginCommand(services, login));
    table.put(Command.VIEW, new ViewCommand(services));
    // Extension: listings in pages, each within a header.
    table.put(Command.LIST, new ListCommand(services));
    table.put(Command.CD, new CdCommand(services));
    table.put(Command.PWD, new PwdCommand());
    table.put(Command.MKDIR, new MkdirCommand(services));
    table.put(Command.RM, new RmCommand(services));
    table.put(Command.RENAME, new RenameCommand(services));
    table.put(Command.QUOTA, new QuotaCommand(services));
    table.put(Command.CHECKSUM, new ChecksumCommand(services));
    table.put(Command.LOGOUT, new LogoutCommand());
    // PROTOCOL.md s7: admin commands (passwd is also a user's, for their own password).
    table.put(Command.USERADD, new UseraddCommand(services));
    table.put(Command.USERDEL, new UserdelCommand(services));
    table.put(Command.PASSWD, new PasswdCommand(services));
    table.put(Command.LOCK, new LockCommand(services, AuthApi.LOCK));
    table.put(Command.UNLOCK, new LockCommand(services, AuthApi.UNLOCK));
    table.put(Command.SETQUOTA, new SetquotaCommand(services));
    table.put(Command.USERS, new UsersCommand(services));
    table.put(Command.RECOUNT, new RecountCommand(services));
    table.put(Command.SETKEY, new SetkeyCommand(services));
    // PROTOCOL.md s4 and s5: transfers. Their frames go to the running transfer (Connection);
    // the handlers of download_RES and uploading only see frames left over from one that ended.
    table.put(Command.DOWNLOAD, new DownloadCommand(services, options));
    table.put(Command.UPLOAD, new UploadCommand(services, options));
    table.put(Command.DOWNLOAD_RES, new TransferFrameCommand());
    table.put(Command.UPLOADING, new TransferFrameCommand());
    return table;
  }
}
