package dev.ferry.client.net;

import dev.ferry.client.format.SafeText;

import java.io.IOException;

/**
 * The server refused this connection for load: it sent {@code {"cmd":"error","data":"BUSY*<reason>"}}
 * (instead of its greeting, or before login) and closes. The reason is {@code CONNECTIONS},
 * {@code UNAUTHENTICATED}, {@code ADDRESS} or {@code MEMORY} (PROTOCOL.md); a later try may get in.
 */
public final class ServerBusyException extends IOException {

  private final String reason;

  public ServerBusyException(String reason) {
    super("the server is busy: " + SafeText.of(reason));
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
