package dev.ferry.gateway;

import dev.ferry.gateway.transfer.StorageNodes;
import dev.ferry.gateway.transfer.TransferBudget;
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

  /** @param transferBudget the file data all transfers of the gateway process may hold at once */
  public Services(Vertx vertx, TransferBudget transferBudget) {
    this.auth = new BusClient(vertx, Addresses.AUTH);
    this.storage = new BusClient(vertx, Addresses.STORAGE);
    this.quota = new BusClient(vertx, Addresses.QUOTA);
    this.transfers = new StorageNodes(vertx, transferBudget);
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
