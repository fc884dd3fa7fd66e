package dev.ferry.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/** What a {@link Transfer} may do with its connection: send frames, feel back-pressure, hold input. */
public interface ClientLink {

  /** Sends a server frame ({@code account} is the session's, {@code password} empty). */
  Future<Void> send(String cmd, String data);

  /** Sends a server frame with a payload ({@code download_ing}). */
  Future<Void> send(String cmd, String data, Buffer payload);

  /** Whether the socket's write queue is full: stop producing until {@link #drainHandler}. */
  boolean writeQueueFull();

  /** Called once when the write queue has room again. */
  void drainHandler(Handler<Void> handler);

  /** Stops (true) or resumes (false) reading frames from the client: a transfer's own buffers are full. */
  void holdInput(boolean hold);

  /** The transfer made progress: the session is not idle. */
  void touched();
}
