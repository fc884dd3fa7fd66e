package dev.ferry.gateway;

import dev.ferry.gateway.transfer.StorageNodes;
import dev.ferry.protocol.bus.Addresses;
import dev.ferry.protocol.bus.BusClient;
import io.vertx.core.Vertx;

/**
 * The event-bus clients of the three services the gateway forwards to, and of the storage
 * nodes that hold transfers. The gateway holds no files and no user data: every command becomes
 * requests to these.
 */
public final class Services {

  private final BusClient auth;
  private final BusClient storage;
  private final BusClient quota;
  private final StorageNodes transfers;

  public Services(Vertx vertx, long transferMemory) {
    this(new BusClient(vertx, Addresses.AUTH), new BusClient(vertx, Addresses.STORAGE), new BusClient(vertx, Addresses.QUOTA),
      new StorageNodes(vertx, transferMemory));
  }

  public Services(BusClient auth, BusClient storage, BusClient quota, StorageNodes transfers) {
    this.auth = auth;
    this.storage = storage;
    this.quota = quota;
    this.transfers = transfers;
  }

  public BusClient auth() {
    return auth;
  }

  public BusClient storage() {
    return storage;
  }

  public BusClient quota() {
    return quota;
  }

  /** Opens transfers on storage and talks to the node that holds each. */
  public StorageNodes transfers() {
    return transfers;
  }
}
