package dev.ferry.client.net;

import dev.ferry.client.ConnectionException;

/** The server's certificate is not the one recorded for it: possibly a man in the middle. */
public final class CertificateChangedException extends ConnectionException {

  public CertificateChangedException(String serverKey, String recorded, String presented, String knownServersFile) {
    super("certificate.changed", serverKey, recorded, presented, knownServersFile);
  }
}
