package dev.ferry.client.net;

import dev.ferry.client.format.SafeText;

import java.io.IOException;

/** The peer does not speak PROTOCOL.md: a bad frame, an unexpected greeting or reply. */
public final class ProtocolException extends IOException {

  /** @param message may quote the peer's words: they are made safe to print here */
  public ProtocolException(String message) {
    super(SafeText.of(message));
  }
}
