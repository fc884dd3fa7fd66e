package dev.ferry.gateway;

import dev.ferry.protocol.Header;
import dev.ferry.protocol.bus.Failure;
import io.vertx.core.Future;

import java.util.Map;

/**
 * One command of the protocol. A handler is called only in a session state the
 * {@link CommandDispatcher} allows, so it deals with the command's own rules alone: its guard
 * clauses answer with the exact reply of PROTOCOL.md, and a failed service request is turned
 * into the wire answer by the dispatcher, using {@link #failureAnswers()} first.
 */
public interface CommandHandler {

  Future<Reply> handle(Session session, Header header);

  /**
   * Where this command answers a service failure differently from {@link FailureAnswers}'s
   * table (for instance {@code checksum} answers {@code file_not_exists} for a missing path).
   */
  default Map<Failure, String> failureAnswers() {
    return Map.of();
  }
}
