package dev.ferry.client.net;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust on first use, checked during the handshake: the server's certificate is trusted if its
 * fingerprint is the one recorded in {@code known_servers}. A different one fails the handshake
 * (unless the user asked to accept a new certificate), before any credential is sent.
 *
 * <p>A server with no recorded fingerprint passes the handshake: the user is asked (or told)
 * after it, and the connection is closed before anything is sent if they decline. Asking during
 * the handshake would race the server's handshake timeout.
 *
 * <p>Servers usually present a self-signed certificate generated at first start, so no chain
 * to a certificate authority and no host name is checked: the pin is the check.
 */
final class PinningTrustManager extends X509ExtendedTrustManager {

  private final String expected;
  private final boolean acceptChanged;
  private volatile String presented;
  private volatile boolean refusedAsChanged;

  /**
   * @param expected      the recorded fingerprint, or null for a server never seen
   * @param acceptChanged whether a fingerprint other than {@code expected} is accepted
   */
  PinningTrustManager(String expected, boolean acceptChanged) {
    this.expected = expected;
    this.acceptChanged = acceptChanged;
  }

  /** The fingerprint of the certificate the server presented, or null before the handshake. */
  String presented() {
    return presented;
  }

  /** Whether the handshake failed because the certificate is not the recorded one. */
  boolean refusedAsChanged() {
    return refusedAsChanged;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    check(chain);
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server presented no certificate");
    }
    String fingerprint = KnownServers.fingerprint(chain[0]);
    presented = fingerprint;
    if (expected != null && !KnownServers.same(expected, fingerprint) && !acceptChanged) {
      refusedAsChanged = true;
      throw new CertificateException("the server certificate is not the one recorded in known_servers");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("a client does not authenticate clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("a client does not authenticate clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("a client does not authenticate clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
