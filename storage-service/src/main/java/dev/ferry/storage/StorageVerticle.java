package dev.ferry.storage;

import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.BusClient;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.RequestFields;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.TokenRevocations;
import dev.ferry.protocol.bus.StorageApi;
import dev.ferry.protocol.bus.StorageTokens;
import dev.ferry.protocol.bus.TransferApi;
import dev.ferry.protocol.store.PrivateFiles;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * storage-service: serves {@link StorageApi} and the transfer opens of {@link TransferApi} at
 * {@link Addresses#STORAGE}, and the transfers it holds at its own node address
 * ({@link TransferNode}). Each request's principal comes from its verified session token, and
 * every path is confined to that principal's home by {@link HomeJail} before anything touches
 * the disk. All disk work runs on worker threads.
 *
 * <p>Config keys: {@code data} (where storage also keeps its own key pair, {@link StorageTokens}),
 * {@code tokenPublicKeys} (PEM texts), {@code tokenTtlSeconds},
 * {@code maxHandlesPerNode}, {@code maxHandlesPerAccount}, {@code maxPartialsPerAccount}, {@code handleIdleSeconds},
 * {@code handleLeaseSeconds}, {@code partialExpiryHours},
 * {@code adjustTimeoutMillis}.
 *
 * <p>Quota (TransferApi, "Quota"): every upload into a home holds a quota reservation
 * ({@link QuotaHold}) that storage itself takes at the open and gives back at the end, whoever
 * opened it; no request can write past it.
 *
 * <p>Usage (StorageApi, TransferApi): every change on disk that moves an account's usage (rm,
 * rename across homes, the end of an upload handle, an expired partial upload) is reported to
 * quota-service by a {@link UsageReporter} before the request that made it is answered. mkdir
 * changes no usage; purgeHome neither reports (quota-service forgets the account).
 */
public final class StorageVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(StorageVerticle.class.getName());
  /** How often expired partial uploads are looked for (and once at start). */
  private static final long EXPIRY_SWEEP_MS = TimeUnit.MINUTES.toMillis(15);

  private MessageConsumer<JsonObject> consumer;
  private MessageConsumer<Buffer> nodeConsumer;
  private TransferNode node;
  private long idleTimer = -1;
  private long leaseTimer = -1;
  private long expiryTimer = -1;
  private boolean sweeping;
  private TokenRevocations revocations;
  private UsageReporter usage;
  private QuotaHold.Source holds;

  public StorageVerticle() {
  }

  @Override
  public Future<?> start() {
    StorageOptions options;
    try {
      options = new StorageOptions(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return TokenRevocations.start(vertx, SessionTokens.ttlSeconds(config())).compose(started -> {
      revocations = started;
      SessionTokens tokens;
      try {
        tokens = SessionTokens.fromConfig(vertx, config(), started);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      return start(options, tokens);
    });
  }

  private Future<MessageConsumer<JsonObject>> start(StorageOptions options, SessionTokens tokens) {
    DigestStore digests = new DigestStore(options.digestsDir());
    PartialUploads partials = new PartialUploads(options.partialDir());
    node = new TransferNode(vertx, tokens, options);
    return blocking(() -> StorageTokens.loadOrCreate(options.dataDir()))
      .compose(pair -> blocking(() -> prepare(options)).map(jail -> {
        StorageTokens.Signer signer = new StorageTokens.Signer(vertx, pair[0], pair[1]);
        usage = new UsageReporter(vertx, options.adjustTimeoutMillis(), signer);
        holds = new QuotaHold.Source(vertx, new BusClient(vertx, Addresses.QUOTA), signer);
        return jail;
      }))
      .compose(jail -> sweepExpired(partials, options, usage).map(jail))
      .compose(jail -> node.register().compose(registered -> {
        nodeConsumer = registered;
        StagingArea staging = new StagingArea(options.partialDir());
        EntryLedger entries = new EntryLedger(vertx, jail, options.maxEntriesPerAccount());
        return register(tokens, usage, new FileTree(jail, digests, staging), new Homes(jail, partials, staging), entries,
          new TransferOpens(vertx, node, jail, digests, partials, usage, holds, options.maxPartialsPerAccount(), entries));
      }))
      .onSuccess(registered -> {
        consumer = registered;
        long idleCheckMs = Math.max(100, Math.min(TimeUnit.SECONDS.toMillis(options.handleIdleSeconds()) / 2, 60_000));
        idleTimer = vertx.setPeriodic(idleCheckMs, id -> node.closeIdle());
        leaseTimer = vertx.setPeriodic(node.leases().renewEveryMs(), id -> node.renewLeases());
        expiryTimer = vertx.setPeriodic(EXPIRY_SWEEP_MS, id -> sweepExpired(partials, options, usage));
        StorageMetrics.watchPartials(vertx, options.partialDir());
        LOG.log(Level.INFO, "storage-service serving " + options.filesDir().toAbsolutePath() + " as node " + node.address());
      });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(idleTimer);
    vertx.cancelTimer(leaseTimer);
    vertx.cancelTimer(expiryTimer);
    Future<Void> main = consumer == null ? Future.succeededFuture() : consumer.unregister();
    Future<Void> revocationsClosed = revocations == null ? Future.succeededFuture() : revocations.close();
    Future<Void> own = nodeConsumer == null ? Future.succeededFuture() : nodeConsumer.unregister();
    return Future.all(main, own, revocationsClosed).compose(v -> node == null ? Future.succeededFuture() : node.closeAll());
  }

  /**
   * Creates the data layout, each directory it makes private to the server's user (0700), and
   * fixes the real files root every confinement is checked against.
   */
  private static HomeJail prepare(StorageOptions options) throws Exception {
    PrivateFiles.createDirectories(options.filesDir().resolve("home"));
    PrivateFiles.createDirectories(options.partialDir());
    PrivateFiles.createDirectories(options.digestsDir());
    return new HomeJail(options.filesDir().toRealPath());
  }

  /**
   * PROTOCOL.md s5: partial uploads "expire after a configurable time (default 7 days)"; the
   * bytes they held no longer count toward their target's owner (TransferApi: "whenever a
   * partial upload expires, storage sends quota-service ADJUST").
   */
  private Future<Void> sweepExpired(PartialUploads partials, StorageOptions options, UsageReporter usage) {
    if (sweeping) {
      return Future.succeededFuture();
    }
    sweeping = true;
    long cutoff = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(options.partialExpiryHours());
    return blocking(() -> partials.sweep(cutoff))
      .compose(removed -> {
        if (!removed.isEmpty()) {
          LOG.log(Level.INFO, "removed " + removed.size() + " expired partial upload(s)");
        }
        return Future.all(removed.stream().map(expired -> usage.adjust(expired.target(), -expired.bytes())).toList());
      })
      .<Void>mapEmpty()
      .recover(error -> {
        LOG.log(Level.WARNING, "sweeping expired partial uploads failed", error);
        return Future.succeededFuture();
      })
      .onComplete(v -> sweeping = false);
  }

  private Future<MessageConsumer<JsonObject>> register(SessionTokens tokens, UsageReporter usage, FileTree tree, Homes homes,
                                                       EntryLedger entries, TransferOpens opens) {
    return new BusService(vertx, Addresses.STORAGE, tokens)
      .on(StorageApi.LIST, (who, body) -> blocking(() -> tree.list(who, path(body), RequestFields.optional(body, StorageApi.AFTER))))
      .on(StorageApi.STAT, (who, body) -> blocking(() -> tree.stat(who, path(body))))
      .on(StorageApi.MKDIR, (who, body) -> mkdir(tree, entries, who, path(body)))
      .on(StorageApi.RM, (who, body) -> blocking(() -> {
        FileTree.Removed removed = tree.rm(who, path(body));
        entries.remove(removed.path());
        return removed;
      }).compose(removed -> usage.adjust(removed.path(), -removed.freed()).map(v -> removed.reply())))
      .on(StorageApi.RENAME, (who, body) -> blocking(() -> tree.rename(who,
        RequestFields.required(body, StorageApi.FROM), RequestFields.required(body, StorageApi.TO)))
        .compose(moved -> usage.moved(moved.from(), moved.to(), moved.bytes()).map(v -> new JsonObject())))
      .on(StorageApi.CHECKSUM, (who, body) -> blocking(() -> tree.checksum(who, path(body))))
      .on(StorageApi.CREATE_HOME, (who, body) -> blocking(() -> homes.create(who, account(body))))
      .on(StorageApi.PURGE_HOME, (who, body) -> blocking(() -> homes.purge(who, account(body)))
        .compose(purged -> entries.forget(account(body)).map(purged)))
      .on(StorageApi.USAGE, (who, body) -> blocking(() -> homes.usage(who, account(body))))
      .on(TransferApi.OPEN_READ, opens::openRead)
      .on(TransferApi.OPEN_WRITE, opens::openWrite)
      .register();
  }

  /**
   * MKDIR, counted in the owner's entries first.
   */
  private Future<JsonObject> mkdir(FileTree tree, EntryLedger entries, Principal who, String path) {
    return entries.withEntry(who, path, entry -> blocking(() -> {
      entry.claim();
      try {
        return tree.mkdir(who, path);
      } catch (IOException | RuntimeException e) {
        entry.unclaim();
        throw e;
      }
    }));
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  private static String path(JsonObject body) {
    return RequestFields.required(body, StorageApi.PATH);
  }

  private static String account(JsonObject body) {
    return RequestFields.required(body, StorageApi.ACCOUNT);
  }
}
