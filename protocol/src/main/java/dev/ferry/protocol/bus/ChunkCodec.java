package dev.ferry.protocol.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;

/**
 * File bytes of a transfer on the event bus without a copy per hop. Vert.x's own buffer codec
 * copies every body delivered locally, so that a sender may go on changing its buffer; a chunk's
 * sender hands its buffer over and never touches it again (the gateway writing an upload chunk
 * it got from the frame decoder, storage answering a read with a buffer it just filled), so the
 * receiver may take it as it is. Across a cluster a chunk travels like any buffer.
 */
public final class ChunkCodec implements MessageCodec<Buffer, Buffer> {

  public static final String NAME = "ferry.chunk";

  /**
   * Registers the codec on {@code vertx}'s event bus unless it is there already (the gateway and
   * storage both send chunks, and may share one Vert.x).
   */
  public static void register(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new ChunkCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Registered by the other side in this Vert.x: the same codec.
    }
  }

  /** Delivery options for a chunk: the caller gives up the buffer it sends. */
  public static DeliveryOptions options() {
    return new DeliveryOptions().setCodecName(NAME);
  }

  @Override
  public void encodeToWire(Buffer wire, Buffer chunk) {
    wire.appendInt(chunk.length()).appendBuffer(chunk);
  }

  @Override
  public Buffer decodeFromWire(int pos, Buffer wire) {
    int length = wire.getInt(pos);
    return wire.getBuffer(pos + 4, pos + 4 + length);
  }

  @Override
  public Buffer transform(Buffer chunk) {
    return chunk;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
