package dev.ferry.storage;

import dev.ferry.protocol.bus.RequestFields;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusService;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.util.concurrent.Callable;

/**
 * storage-service: serves {@link StorageApi} at {@link Addresses#STORAGE}. Each request's
 * principal comes from its verified session token, and every path is confined to that
 * principal's home by {@link HomeJail} before anything touches the disk. All disk work runs on
 * worker threads.
 *
 * <p>Config keys: {@code data}, {@code tokenSecret}, {@code tokenTtlSeconds}.
 */
public final class StorageVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(StorageVerticle.class.getName());

  private MessageConsumer<JsonObject> consumer;

  public StorageVerticle() {
  }

  @Override
  public Future<?> start() {
    StorageOptions options = new StorageOptions(config());
    SessionTokens tokens = SessionTokens.fromConfig(vertx, config());
    return blocking(() -> prepare(options))
      .compose(jail -> register(tokens, new FileTree(jail), new Homes(jail)))
      .onSuccess(registered -> {
        consumer = registered;
        LOG.log(System.Logger.Level.INFO, "storage-service serving " + options.filesDir().toAbsolutePath());
      });
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Creates the data layout and fixes the real files root every confinement is checked against. */
  private static HomeJail prepare(StorageOptions options) throws Exception {
    Files.createDirectories(options.filesDir().resolve("home"));
    Files.createDirectories(options.partialDir());
    return new HomeJail(options.filesDir().toRealPath());
  }

  private Future<MessageConsumer<JsonObject>> register(SessionTokens tokens, FileTree tree, Homes homes) {
    return new BusService(vertx, Addresses.STORAGE, tokens)
      .on(StorageApi.LIST, (who, body) -> blocking(() -> tree.list(who, path(body))))
      .on(StorageApi.STAT, (who, body) -> blocking(() -> tree.stat(who, path(body))))
      .on(StorageApi.MKDIR, (who, body) -> blocking(() -> tree.mkdir(who, path(body))))
      .on(StorageApi.RM, (who, body) -> blocking(() -> tree.rm(who, path(body))))
      .on(StorageApi.RENAME, (who, body) -> blocking(() -> tree.rename(who,
        RequestFields.required(body, StorageApi.FROM), RequestFields.required(body, StorageApi.TO))))
      .on(StorageApi.CHECKSUM, (who, body) -> blocking(() -> tree.checksum(who, path(body))))
      .on(StorageApi.CREATE_HOME, (who, body) -> blocking(() -> homes.create(who, account(body))))
      .on(StorageApi.PURGE_HOME, (who, body) -> blocking(() -> homes.purge(who, account(body))))
      .on(StorageApi.USAGE, (who, body) -> blocking(() -> homes.usage(who, account(body))))
      .register();
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
