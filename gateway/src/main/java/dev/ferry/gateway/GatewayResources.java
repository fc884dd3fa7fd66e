package dev.ferry.gateway;

import dev.ferry.gateway.transfer.TransferBudget;
import dev.ferry.protocol.BoundedPayloadMemory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the gateway instances of one process share, whichever event loop runs them: the
 * connection counts, the transfer memory and the memory of frame headers being received. Their
 * limits hold for the process, not per instance.
 */
public final class GatewayResources {

  private static final AtomicInteger ANY_PORT_KEYS = new AtomicInteger();

  private final ConnectionLimits limits;
  private final TransferBudget transferBudget;
  private final BoundedPayloadMemory frameMemory;
  private final int anyPort = -ANY_PORT_KEYS.incrementAndGet();

  public GatewayResources(GatewayOptions options) {
    this.limits = new ConnectionLimits(options);
    this.transferBudget = new TransferBudget(options.transferMemory());
    this.frameMemory = new BoundedPayloadMemory(options.frameMemory());
  }

  /**
   * The port to listen on for a configured port 0: a negative one, which Vert.x binds to a free
   * port shared by every server that asks for the same negative port, so this process's
   * instances listen on one port and no other gateway's.
   */
  int listenPort(int configured) {
    return configured == 0 ? anyPort : configured;
  }

  public ConnectionLimits limits() {
    return limits;
  }

  /** File data of every transfer, chunks being received included. */
  public TransferBudget transferBudget() {
    return transferBudget;
  }

  /** Headers of frames being received, every connection's. */
  public BoundedPayloadMemory frameMemory() {
    return frameMemory;
  }

  /** Whether the gateway is full (all its connections, or its frame memory, taken): not ready for more. */
  public boolean saturated() {
    return limits.saturated() || frameMemory.spent();
  }
}
