package dev.ferry.client;

import dev.ferry.client.command.CommandContext;
import dev.ferry.client.command.CommandTable;
import dev.ferry.client.command.RemoteSession;
import dev.ferry.client.command.ShellCommand;
import dev.ferry.client.net.Connection;
import dev.ferry.client.net.Connector;
import dev.ferry.client.net.KnownServers;
import dev.ferry.client.shell.RemoteNameCompleter;
import dev.ferry.client.shell.Shell;
import dev.ferry.client.shell.StreamPrompter;
import dev.ferry.client.shell.TerminalPrompter;
import dev.ferry.client.transfer.LocalChecksums;
import dev.ferry.client.transfer.OneShotTransfer;
import dev.ferry.client.transfer.Sha256;
import dev.ferry.client.transfer.TransferArguments;
import dev.ferry.protocol.Role;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code ferry} command, runnable in-process: {@code ferry [options] [user@]host[:port]}
 * opens the shell, {@code ferry [options] COMMAND target [args...]} runs one command. Returns
 * the process exit code ({@link ExitCode}) instead of exiting, so tests can drive it.
 *
 * <p>Environment: {@code FERRY_PASSWORD} (else the password is asked), {@code FERRY_CONFIG_DIR}
 * (else {@code ~/.ferry}), {@code USER} (the default account), {@code LC_ALL} /
 * {@code LC_MESSAGES} / {@code LANG} (the language, unless {@code --lang} is given).
 */
public final class FerryCli {

  public static final String ENV_PASSWORD = "FERRY_PASSWORD";
  public static final String ENV_CONFIG_DIR = "FERRY_CONFIG_DIR";
  public static final String HISTORY_FILE = "history";

  private final Map<String, String> env;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;
  private final CommandTable commands = CommandTable.standard();

  /** A terminal is used only when {@code in} is this process's stdin and both it and stdout are one. */
  public FerryCli(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    this.env = Map.copyOf(env);
    this.in = in;
    this.out = out;
    this.err = err;
    this.terminal = in == System.in && System.console() != null;
  }

  @CommandLine.Command(name = "ferry")
  static final class Options {
    @Option(names = "--admin") boolean admin;
    @Option(names = "--no-tls") boolean noTls;
    @Option(names = "--accept-new-certificate") boolean acceptNewCertificate;
    @Option(names = {"-h", "--help"}) boolean help;
    @Option(names = {"-V", "--version"}) boolean version;
    @Option(names = "--lang") String lang;
    @Parameters List<String> arguments = new ArrayList<>();
  }

  public int run(String... args) {
    Messages messages = Messages.forLocale(Messages.resolveLocale(langOption(args), env));
    Options options = new Options();
    try {
      // Options come first; everything from the first positional on belongs to the command
      // (so "userdel bob --purge" works and a password may start with "-").
      new CommandLine(options).setStopAtPositional(true).parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      err.println(messages.get("error.line", messages.get("usage.bad-option", e.getMessage())));
      err.println(messages.get("usage.hint"));
      return ExitCode.USAGE;
    }
    try {
      if (options.help) {
        out.print(usage(messages));
        return ExitCode.OK;
      }
      if (options.version) {
        out.println(messages.get("version", version(), Connection.PROTOCOL_VERSION));
        out.println(messages.get("version.crypto", Connector.tlsImplementation(), Sha256.implementation()));
        return ExitCode.OK;
      }
      return dispatch(options, messages);
    } catch (FerryException e) {
      err.println(messages.get("error.line", e.describe(messages)));
      if (e.exitCode() == ExitCode.USAGE) {
        err.println(messages.get("usage.hint"));
      }
      return e.exitCode();
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int dispatch(Options options, Messages messages) throws FerryException {
    if (options.arguments.isEmpty()) {
      throw new UsageException("usage.missing-target");
    }
    String first = options.arguments.get(0);
    List<String> rest = options.arguments.subList(1, options.arguments.size());
    Optional<ShellCommand> command = commands.find(first);
    if (command.isPresent()) {
      return oneShot(command.get(), rest, options, messages);
    }
    if (!rest.isEmpty()) {
      throw new UsageException("command.unknown", first);
    }
    return shell(Target.parseServer(first, defaultUser()), options, messages);
  }

  private int shell(Target target, Options options, Messages messages) throws FerryException {
    Path configDir = ConfigDirectory.ensure(configDir());
    try (Prompter prompter = prompter(configDir.resolve(HISTORY_FILE));
         RemoteSession session = open(target, options, prompter, configDir, messages)) {
      if (prompter instanceof TerminalPrompter terminalPrompter) {
        terminalPrompter.completeWith(new RemoteNameCompleter(commands, session));
        out.println(messages.get("shell.welcome", target.display(), session.home()));
      }
      return new Shell(commands, session, prompter, out, err, messages, LocalChecksums.in(configDir)).run();
    }
  }

  /**
   * One command. For commands on paths the first argument is {@code [user@]host[:port]:path}
   * and its path is the command's first argument; other arguments written with the same
   * {@code [user@]host[:port]:} prefix are taken as paths on that server. {@code get} and
   * {@code put} name the server as {@link OneShotTransfer} describes.
   */
  private int oneShot(ShellCommand command, List<String> rest, Options options, Messages messages) throws FerryException {
    if (command.form() == ShellCommand.Form.LOCAL) {
      command.checkArguments(rest);
      command.action().run(new CommandContext(null, null, out, err, messages, commands), rest);
      return ExitCode.OK;
    }
    if (command.form() == ShellCommand.Form.SESSION) {
      throw new UsageException("command.shell-only", command.name());
    }
    if (rest.isEmpty()) {
      throw command.form() == ShellCommand.Form.UPLOAD
        ? new UsageException("put.missing-server")
        : new UsageException("usage.missing-server", command.name());
    }
    Target target;
    List<String> args = new ArrayList<>();
    if (command.form() == ShellCommand.Form.DOWNLOAD || command.form() == ShellCommand.Form.UPLOAD) {
      OneShotTransfer transfer = command.form() == ShellCommand.Form.DOWNLOAD
        ? OneShotTransfer.download(rest, defaultUser())
        : OneShotTransfer.upload(rest, defaultUser());
      target = transfer.target();
      args.addAll(transfer.args());
    } else if (command.form() == ShellCommand.Form.PATH) {
      target = Target.parseRemote(rest.get(0), defaultUser());
      if (!target.path().isEmpty()) {
        args.add(target.path());
      }
      for (String arg : rest.subList(1, rest.size())) {
        boolean samePrefix = !target.prefix().isEmpty() && arg.startsWith(target.prefix());
        args.add(samePrefix ? arg.substring(target.prefix().length()) : arg);
      }
    } else {
      target = Target.parseServer(rest.get(0), defaultUser());
      args.addAll(rest.subList(1, rest.size()));
    }
    command.checkArguments(args);
    Path configDir = ConfigDirectory.ensure(configDir());
    LocalChecksums checksums = LocalChecksums.in(configDir);
    if (command.form() == ShellCommand.Form.UPLOAD) {
      // The hash pass of the files to send overlaps connecting and logging in.
      checksums.prefetch(localPaths(TransferArguments.parse(args, true).sources()));
    } else if (command.form() == ShellCommand.Form.DOWNLOAD) {
      Sha256.warmUpInBackground();
    }
    try (Prompter prompter = prompter(null);
         RemoteSession session = open(target, options, prompter, configDir, messages)) {
      command.action().run(new CommandContext(session, prompter, out, err, messages, commands, checksums), args);
    }
    return ExitCode.OK;
  }

  /** Connects (checking the certificate before anything is sent), then logs in. */
  private RemoteSession open(Target target, Options options, Prompter prompter, Path configDir, Messages messages)
    throws ConnectionException {
    KnownServers knownServers = new KnownServers(configDir.resolve(KnownServers.FILE_NAME));
    UserTrustPrompt trustPrompt = new UserTrustPrompt(prompter, err, messages, knownServers.file().toString());
    Connector connector = new Connector(knownServers, !options.noTls, options.acceptNewCertificate, trustPrompt);
    Connection connection = connector.connect(target);
    try {
      String password = env.get(ENV_PASSWORD);
      if (password == null) {
        password = prompter.readSecret(messages.get("login.password", target.display()));
      }
      if (password == null) {
        throw new ConnectionException("login.no-password");
      }
      // Transfers reconnect over the same checked certificate and log in again when the connection drops.
      return RemoteSession.login(connection, target, password, options.admin ? Role.ADMIN : Role.USER,
        () -> connector.connect(target));
    } catch (ConnectionException e) {
      try {
        connection.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private Prompter prompter(Path historyFile) throws ConnectionException {
    if (!terminal) {
      return new StreamPrompter(in);
    }
    try {
      return TerminalPrompter.system(historyFile);
    } catch (IOException e) {
      throw new ConnectionException(e, "terminal.failed", e.getMessage());
    }
  }

  /** The sources that name local paths at all; the upload reports the others. */
  private static List<Path> localPaths(List<String> sources) {
    List<Path> paths = new ArrayList<>();
    for (String source : sources) {
      try {
        paths.add(Path.of(source));
      } catch (InvalidPathException e) {
        // put says why it cannot send it.
      }
    }
    return paths;
  }

  private Path configDir() {
    String dir = env.get(ENV_CONFIG_DIR);
    return dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".ferry");
  }

  /** {@code $USER}, as ssh does; the JVM's idea of the user name if it is not set. */
  private String defaultUser() {
    String user = env.get("USER");
    return user != null && !user.isBlank() ? user : System.getProperty("user.name", "");
  }

  private String usage(Messages messages) {
    return messages.get("usage.text", CommandTable.describe(commands.commands(), messages));
  }

  private static String version() {
    String version = FerryCli.class.getPackage().getImplementationVersion();
    return version != null ? version : "dev";
  }

  /** {@code --lang} is needed before parsing, to report parse errors in that language. */
  private static String langOption(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("--lang=")) {
        return arg.substring("--lang=".length());
      }
      if (arg.equals("--lang") && i + 1 < args.length) {
        return args[i + 1];
      }
      if (arg.equals("--") || !arg.startsWith("-")) {
        return null;
      }
    }
    return null;
  }
}
