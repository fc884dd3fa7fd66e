package dev.ferry.server;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.ferry.auth.AccountImport;
import dev.ferry.auth.OutOfBandUnlock;
import dev.ferry.auth.db.AccountDatabase;
import dev.ferry.auth.db.DatabaseOptions;
import dev.ferry.quota.LimitsImport;
import dev.ferry.quota.QuotaOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code ferry-server}: starts every service in one JVM, or with {@code --cluster} the services
 * {@code --services} names as one member of a Hazelcast cluster, and runs until SIGTERM or Ctrl-C.
 */
@Command(name = "ferry-server", mixinStandardHelpOptions = true, version = "ferry-server 0.1.0",
  description = "Runs a Ferry file server: auth, storage, quota and the TLS gateway in one JVM, or some of them as a cluster member.",
  footer = {"", "Settings come from built-in defaults, then --config FILE (YAML), then FERRY_* environment variables,",
    "then --cluster and --services."})
public final class Main implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "YAML file with settings (keys as in the README)")
  private Path configFile;

  @Option(names = "--cluster", description = "join a Hazelcast cluster (setting cluster)")
  private boolean cluster;

  @Option(names = "--services", paramLabel = "LIST",
    description = "services this process runs, comma-separated: gateway,sftp,auth,quota,storage (setting services)")
  private String services;

  @Option(names = "--unlock", paramLabel = "ACCOUNT",
    description = "lift the admin's lock and every failed-login lockout of ACCOUNT in the data directory, then exit")
  private String unlock;

  @Option(names = "--import-accounts",
    description = "copy the accounts (users.json) and quota limits (quota.json) of the data directory into the "
      + "database of accountStore=postgres, leaving any already there as they are, then exit")
  private boolean importAccounts;

  /** How long --unlock waits for a running auth service to take its request. */
  static final Duration UNLOCK_WAIT = Duration.ofSeconds(30);

  @Option(names = "--cluster-certs", arity = "2..*", paramLabel = "DIR MEMBER",
    description = "make a cluster CA in DIR (unless one is there) and a certificate and key for each MEMBER, then exit")
  private List<String> clusterCerts;

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
    if (clusterCerts != null) {
      return issueClusterCertificates();
    }
    if (configFile != null && !Files.isReadable(configFile)) {
      System.err.println("ferry-server: cannot read config file " + configFile);
      return 2;
    }
    if (unlock != null) {
      return unlock(unlock);
    }
    if (importAccounts) {
      return importAccounts();
    }
    Vertx vertx = null;
    FerryServer server;
    OpsEndpoint ops;
    try {
      JsonObject settings = loadSettings();
      // Checked before anything starts: joining a cluster only to fail on a typo takes seconds.
      Set<Service> services = Service.parseList(settings.getString(Setting.SERVICES.key()));
      vertx = await(createVertx(settings));
      // Before the services: liveness answers during a slow start, readiness stays 503 until
      // every service this process needs answers on the bus.
      ops = await(OpsEndpoint.start(vertx, settings, OpsEndpoint.neededAddresses(services)));
      server = await(FerryServer.start(vertx, settings));
      ops.saturation(server::saturated);
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      System.err.println("ferry-server: could not start: " + cause.getMessage());
      if (vertx != null) {
        closeQuietly(vertx); // a clustered one leaves its cluster cleanly
      }
      return 1;
    }
    Vertx running = vertx;
    OpsEndpoint endpoint = ops;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(running, endpoint, server), "ferry-shutdown"));
    if (ops.actualPort() > 0) {
      System.out.println("ferry metrics and health on http://" + server.config().getString(Setting.HTTP_HOST.key()) + ":" + ops.actualPort());
    }
    for (String line : server.doorLines()) {
      System.out.println(line);
    }
    System.out.println(startedLine(server));
    System.out.flush();
    return 0;
  }

  /**
   * {@code --unlock ACCOUNT} on the data directory the settings name: 0 once unlocked, 1 for an
   * unknown account or when the running auth service did not take the request in time.
   */
  private int unlock(String account) throws Exception {
    JsonObject settings = loadSettings();
    DatabaseOptions database = databaseOptions(settings);
    if (database == null) {
      return 2;
    }
    if (database.postgres()) {
      return unlockInDatabase(database, account);
    }
    Path data = Path.of(settings.getString(Setting.DATA.key()));
    OutOfBandUnlock.Result result = OutOfBandUnlock.unlock(data, account, UNLOCK_WAIT);
    switch (result) {
      case UNLOCKED_IN_FILE -> System.out.println("ferry-server: unlocked account " + account + " in "
        + data.resolve("users.json") + " (no auth service was running)");
      case UNLOCKED_BY_RUNNING_SERVICE -> System.out.println("ferry-server: unlocked account " + account
        + " in the running auth service");
      case NO_SUCH_ACCOUNT -> System.err.println("ferry-server: no account " + account + " in " + data.resolve("users.json"));
      case NOT_TAKEN -> System.err.println("ferry-server: the auth service holding " + data + " did not take the unlock of "
        + account + " within " + UNLOCK_WAIT.toSeconds() + " s; the request stays queued in "
        + data.resolve("unlock-requests"));
    }
    return result == OutOfBandUnlock.Result.UNLOCKED_IN_FILE || result == OutOfBandUnlock.Result.UNLOCKED_BY_RUNNING_SERVICE ? 0 : 1;
  }

  private static int unlockInDatabase(DatabaseOptions options, String account) {
    return withDatabase(options, (vertx, db) -> OutOfBandUnlock.unlock(db, account).map(result -> {
      if (result == OutOfBandUnlock.Result.NO_SUCH_ACCOUNT) {
        System.err.println("ferry-server: no account " + account + " in the account database " + options.url());
        return 1;
      }
      System.out.println("ferry-server: unlocked account " + account + " in the account database " + options.url());
      return 0;
    }));
  }

  /**
   * {@code --import-accounts}: the data directory's users.json and quota.json into the database
   * the settings name; 0 once done (also when everything was there already).
   */
  private int importAccounts() throws Exception {
    JsonObject settings = loadSettings();
    DatabaseOptions options = databaseOptions(settings);
    if (options == null) {
      return 2;
    }
    if (!options.postgres()) {
      System.err.println("ferry-server: --import-accounts writes to the database of accountStore=postgres: set "
        + Setting.ACCOUNT_STORE.env() + "=postgres, " + Setting.DATABASE_URL.env() + " and the password");
      return 2;
    }
    Path data = Path.of(settings.getString(Setting.DATA.key()));
    Path users = data.resolve("users.json");
    Path quota = data.resolve(QuotaOptions.QUOTA_FILE);
    return withDatabase(options, (vertx, db) -> AccountImport.importUsers(vertx, db, users)
      .compose(accounts -> LimitsImport.importLimits(vertx, db, quota).map(limits -> {
        System.out.println("ferry-server: imported " + accounts.added() + " accounts from " + users + " into "
          + options.url() + " (" + accounts.alreadyThere() + " already there, left as they were)");
        System.out.println("ferry-server: imported " + limits.added() + " quota limits from " + quota + " ("
          + limits.alreadyThere() + " already there, left as they were)");
        return 0;
      })));
  }

  /** The account store settings, or null after saying what is wrong with them. */
  private static DatabaseOptions databaseOptions(JsonObject settings) {
    try {
      return new DatabaseOptions(settings);
    } catch (IllegalArgumentException e) {
      System.err.println("ferry-server: " + e.getMessage());
      return null;
    }
  }

  /** Runs {@code work} on the account database (migrated first), with a Vert.x of its own; 1 when it fails. */
  private static int withDatabase(DatabaseOptions options,
                                  java.util.function.BiFunction<Vertx, AccountDatabase, Future<Integer>> work) {
    Vertx vertx = Vertx.vertx();
    try {
      return await(AccountDatabase.open(vertx, options)
        .compose(db -> work.apply(vertx, db).eventually(db::close)));
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      System.err.println("ferry-server: " + cause.getMessage());
      return 1;
    } finally {
      closeQuietly(vertx);
    }
  }

  /** {@code --cluster-certs DIR MEMBER...}: the cluster's TLS material, made locally. */
  private Integer issueClusterCertificates() {
    Path dir = Path.of(clusterCerts.get(0));
    List<String> members = clusterCerts.subList(1, clusterCerts.size());
    try {
      ClusterCertificates.issue(dir, members.toArray(String[]::new));
    } catch (IllegalArgumentException | java.io.IOException e) {
      System.err.println("ferry-server: " + e.getMessage());
      return 2;
    }
    System.out.println("cluster CA: " + dir.resolve(ClusterCertificates.CA_CERT) + " (its key " + dir.resolve(ClusterCertificates.CA_KEY)
      + " signs new members: keep it off the cluster)");
    System.out.println("cluster secret (every member): " + dir.resolve(ClusterCertificates.SECRET));
    for (String member : members) {
      System.out.println(member + ": " + dir.resolve(member + ".crt") + ", " + dir.resolve(member + ".key"));
    }
    return 0;
  }

  /** What tests and scripts wait for: the gateway's address, else what runs here and where. */
  private static String startedLine(FerryServer server) {
    JsonObject config = server.config();
    if (server.services().contains(Service.GATEWAY)) {
      return "ferry listening on " + server.host() + ":" + server.port();
    }
    String list = Service.listOf(server.services());
    if (!config.getBoolean(Setting.CLUSTER.key())) {
      return "ferry services " + list + " started";
    }
    return "ferry services " + list + " joined the cluster at " + config.getString(Setting.CLUSTER_HOST.key()) + ":"
      + config.getInteger(Setting.CLUSTER_PORT.key());
  }

  /** A local Vert.x, or one joined to the cluster the settings describe. */
  private static Future<Vertx> createVertx(JsonObject settings) {
    VertxOptions options = new VertxOptions();
    if (!settings.getBoolean(Setting.CLUSTER.key())) {
      return Future.succeededFuture(Observability.vertxBuilder(options).build());
    }
    ClusterCredentials credentials = ClusterCredentials.load(settings);
    VertxOptions clustered = HazelcastCluster.clustered(options, credentials, settings.getString(Setting.CLUSTER_HOST.key()),
      settings.getInteger(Setting.EVENT_BUS_PORT.key()));
    return HazelcastCluster.join(HazelcastCluster.config(settings), credentials, Observability.vertxBuilder(clustered));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("ferry-server: unclean stop: " + e);
    }
  }

  /** Runs on the JVM's shutdown-hook thread (SIGTERM, Ctrl-C), never on an event loop. */
  private static void shutdown(Vertx vertx, OpsEndpoint ops, FerryServer server) {
    try {
      // Vert.x is closed on its own, from this thread: a close chained to a future of one of its
      // event loops would be answered on a loop that is already gone.
      server.close().compose(v -> ops.close()).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      System.out.println("ferry stopped");
    } catch (Exception e) {
      System.err.println("ferry-server: unclean shutdown: " + e);
    }
  }

  /**
   * Defaults, the YAML file, the environment, then the flags, read with a Vert.x of their own:
   * the one the services run on depends on what they say.
   */
  private JsonObject loadSettings() throws Exception {
    Vertx reader = Vertx.vertx();
    try {
      JsonObject settings = await(loadConfig(reader));
      if (cluster) {
        settings.put(Setting.CLUSTER.key(), true);
      }
      if (services != null) {
        settings.put(Setting.SERVICES.key(), services);
      }
      return Setting.defaults().mergeIn(settings);
    } finally {
      closeQuietly(reader);
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
