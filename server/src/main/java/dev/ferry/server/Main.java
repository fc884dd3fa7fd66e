package dev.ferry.server;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code ferry-server}: starts every service in one JVM and runs until SIGTERM or Ctrl-C. */
@Command(name = "ferry-server", mixinStandardHelpOptions = true, version = "ferry-server 0.1.0",
  description = "Runs a Ferry file server: auth, storage, quota and the TLS gateway in one JVM.",
  footer = {"", "Settings come from built-in defaults, then --config FILE (YAML), then FERRY_* environment variables."})
public final class Main implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "YAML file with settings (keys as in the README)")
  private Path configFile;

  public static void main(String[] args) {
    // One line per log record, set before java.util.logging reads its configuration.
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (configFile != null && !Files.isReadable(configFile)) {
      System.err.println("ferry-server: cannot read config file " + configFile);
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    FerryServer server;
    try {
      server = loadConfig(vertx).compose(config -> FerryServer.start(vertx, config))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println("ferry-server: could not start: " + cause.getMessage());
      vertx.close();
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, server), "ferry-shutdown"));
    System.out.println("ferry listening on " + server.host() + ":" + server.port());
    System.out.flush();
    return 0;
  }

  /** Runs on the JVM's shutdown-hook thread (SIGTERM, Ctrl-C), never on an event loop. */
  private static void shutdown(Vertx vertx, FerryServer server) {
    try {
      server.close().compose(v -> vertx.close()).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      System.out.println("ferry stopped");
    } catch (Exception e) {
      System.err.println("ferry-server: unclean shutdown: " + e);
    }
  }

  private Future<JsonObject> loadConfig(Vertx vertx) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(-1)
      .addStore(new ConfigStoreOptions().setType("json").setConfig(Setting.defaults()));
    if (configFile != null) {
      options.addStore(new ConfigStoreOptions().setType("file").setFormat("yaml")
        .setConfig(new JsonObject().put("path", configFile.toAbsolutePath().toString())));
    }
    JsonArray envKeys = new JsonArray(Arrays.stream(Setting.values()).map(Setting::env).toList());
    options.addStore(new ConfigStoreOptions().setType("env").setConfig(new JsonObject().put("keys", envKeys).put("raw-data", true)));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig().map(Setting::applyEnvironment).eventually(retriever::close);
  }
}
