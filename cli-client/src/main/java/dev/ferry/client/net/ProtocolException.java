package dev.ferry.client.net;

import java.io.IOException;

/** The peer does not speak PROTOCOL.md: a bad frame, an unexpected greeting or reply. */
public final class ProtocolException extends IOException {

  public ProtocolException(String message) {
    super(message);
  }
}
