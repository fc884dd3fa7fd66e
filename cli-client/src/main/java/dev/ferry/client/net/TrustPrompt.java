package dev.ferry.client.net;

/** How the user takes part in trust on first use; see {@link Connector}. */
public interface TrustPrompt {

  /**
   * A server with no recorded certificate. On a terminal the user is asked; otherwise it is
   * accepted with a notice on stderr.
   *
   * @return whether to trust (and record) it
   */
  boolean trustNewServer(String serverKey, String fingerprint);

  /** A changed certificate was accepted because the user gave {@code --accept-new-certificate}. */
  void replacedCertificate(String serverKey, String recorded, String presented);
}
