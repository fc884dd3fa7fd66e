package dev.ferry.server;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.spi.cluster.NodeInfo;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A cluster member's identity: the cluster's shared secret, its certificate and key, and the
 * cluster CA that every member's certificate must chain to. The secret names the Hazelcast
 * cluster ({@link #clusterName}), so Hazelcast refuses a process without it. The certificate
 * secures the event bus (TLS both ways, client certificate required) and attests this member's
 * event-bus node to the others: the node's metadata carries the certificate and a signature with
 * its key over the node id and event-bus address, which {@link #verify} checks.
 */
public final class ClusterCredentials {

  static final String CERTIFICATE_FIELD = "ferryClusterCertificate";
  static final String SIGNATURE_FIELD = "ferryClusterSignature";
  /** Fewer bytes of secret than this are refused: a guessable name admits anyone. */
  static final int MIN_SECRET_BYTES = 32;

  private final Path certPath;
  private final Path keyPath;
  private final Path caPath;
  private final X509Certificate certificate;
  private final PrivateKey key;
  private final List<X509Certificate> authorities;
  private final String clusterName;

  private ClusterCredentials(Path certPath, Path keyPath, Path caPath, Path secretPath) throws IOException, GeneralSecurityException {
    this.clusterName = clusterName(secretPath);
    this.certPath = certPath;
    this.keyPath = keyPath;
    this.caPath = caPath;
    this.certificate = readCertificates(certPath).get(0);
    this.key = readPrivateKey(keyPath);
    this.authorities = readCertificates(caPath);
    if (!issuedByAuthority(certificate)) {
      throw new IllegalArgumentException(Setting.CLUSTER_TLS_CERT_PATH.key() + " " + certPath
        + " is not a valid certificate issued by the cluster CA in " + Setting.CLUSTER_TLS_CA_PATH.key() + " " + caPath);
    }
    byte[] probe = "probe".getBytes(StandardCharsets.US_ASCII);
    if (!verifySignature(certificate.getPublicKey(), probe, sign(key, probe))) {
      throw new IllegalArgumentException(Setting.CLUSTER_TLS_KEY_PATH.key() + " " + keyPath + " is not the key of " + certPath);
    }
  }

  /**
   * The credentials the settings name. Blocking (reads files).
   *
   * @throws IllegalArgumentException when a setting is missing, a file unreadable or the
   *                                  certificate not issued by the CA: a cluster member never
   *                                  starts without them
   */
  public static ClusterCredentials load(JsonObject settings) {
    List<Setting> needed = List.of(Setting.CLUSTER_TLS_CERT_PATH, Setting.CLUSTER_TLS_KEY_PATH, Setting.CLUSTER_TLS_CA_PATH,
      Setting.CLUSTER_SECRET_PATH);
    List<String> missing = new ArrayList<>();
    for (Setting s : needed) {
      String path = settings.getString(s.key());
      if (path == null || path.isBlank()) {
        missing.add(s.key() + " (" + s.env() + ")");
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("a cluster member needs " + String.join(", ", missing)
        + ": Hazelcast admits only members that hold the cluster's secret, and the event bus runs over TLS and admits only"
        + " members with a certificate of the cluster CA."
        + " Make them with: ferry-server --cluster-certs DIR MEMBER... (see docs/DEPLOY.md)");
    }
    Path cert = Path.of(settings.getString(Setting.CLUSTER_TLS_CERT_PATH.key()));
    Path key = Path.of(settings.getString(Setting.CLUSTER_TLS_KEY_PATH.key()));
    Path ca = Path.of(settings.getString(Setting.CLUSTER_TLS_CA_PATH.key()));
    Path secret = Path.of(settings.getString(Setting.CLUSTER_SECRET_PATH.key()));
    try {
      return new ClusterCredentials(cert, key, ca, secret);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the cluster TLS material and secret (" + cert + ", " + key + ", " + ca + ", "
        + secret + "): " + e.getMessage(), e);
    }
  }

  /**
   * The Hazelcast cluster name of the members that hold this secret. Hazelcast open source
   * cannot authenticate a member, but it refuses a join request (and a client) whose cluster
   * name differs: a name only holders of the secret can compute admits only them. An HMAC of
   * the secret, so that the name, which travels in clear, does not give the secret away.
   */
  public String clusterName() {
    return clusterName;
  }

  private static String clusterName(Path secretPath) throws IOException, GeneralSecurityException {
    byte[] secret = Files.readAllBytes(secretPath);
    int end = secret.length;
    while (end > 0 && Character.isWhitespace(secret[end - 1])) {
      end--; // a trailing newline from an editor or echo is not part of the secret
    }
    if (end < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(Setting.CLUSTER_SECRET_PATH.key() + " " + secretPath + " holds " + end
        + " bytes; the cluster secret needs at least " + MIN_SECRET_BYTES + " (e.g. openssl rand -base64 32)");
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, 0, end, "HmacSHA256"));
    return "ferry-" + HexFormat.of().formatHex(mac.doFinal("ferry hazelcast cluster name".getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * {@code options} (changed and returned) with TLS 1.3 on both ends of every event-bus
   * connection: this member's certificate as server and as client, only certificates of the
   * cluster CA trusted, and a client certificate required. Peers are identified by the CA alone
   * (members' addresses change, so no host name is checked): the CA must be the cluster's own.
   */
  public EventBusOptions secure(EventBusOptions options) {
    return options.setSsl(true)
      .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certPath.toString()).setKeyPath(keyPath.toString()))
      .setTrustOptions(new PemTrustOptions().addCertPath(caPath.toString()))
      // The event bus's default trusts any server certificate: a member would talk to anyone.
      .setTrustAll(false)
      .setClientAuth(ClientAuth.REQUIRED)
      .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"));
  }

  /** {@code metadata} (copied) with this member's attestation of {@code nodeId} at {@code host:port}. */
  public JsonObject attest(JsonObject metadata, String nodeId, String host, int port) {
    JsonObject out = metadata == null ? new JsonObject() : metadata.copy();
    try {
      out.put(CERTIFICATE_FIELD, Base64.getEncoder().encodeToString(certificate.getEncoded()));
      out.put(SIGNATURE_FIELD, Base64.getEncoder().encodeToString(sign(key, statement(nodeId, host, port))));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign this member's attestation", e);
    }
    return out;
  }

  /**
   * Whether {@code info} is attested for {@code nodeId} by a certificate of the cluster CA: the
   * certificate it carries is valid and issued by the CA, and its key signed this node id and
   * event-bus address. Anything missing or malformed is simply not attested.
   */
  public boolean verify(String nodeId, NodeInfo info) {
    if (info == null || info.metadata() == null) {
      return false;
    }
    String encodedCert = info.metadata().getValue(CERTIFICATE_FIELD) instanceof String s ? s : null;
    String encodedSignature = info.metadata().getValue(SIGNATURE_FIELD) instanceof String s ? s : null;
    if (encodedCert == null || encodedSignature == null || encodedCert.length() > 16_384 || encodedSignature.length() > 1_024) {
      return false;
    }
    try {
      Certificate parsed = CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(encodedCert)));
      if (!(parsed instanceof X509Certificate cert) || !issuedByAuthority(cert)) {
        return false;
      }
      return verifySignature(cert.getPublicKey(), statement(nodeId, info.host(), info.port()),
        Base64.getDecoder().decode(encodedSignature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** What a member signs: its node id and where its event bus listens, so neither can be borrowed. */
  private static byte[] statement(String nodeId, String host, int port) {
    return ("ferry-cluster-node\n" + nodeId + "\n" + host + "\n" + port).getBytes(StandardCharsets.UTF_8);
  }

  private boolean issuedByAuthority(X509Certificate cert) {
    try {
      cert.checkValidity();
    } catch (GeneralSecurityException e) {
      return false;
    }
    if (cert.getBasicConstraints() >= 0) {
      return false; // a CA certificate is no member
    }
    for (X509Certificate authority : authorities) {
      if (!authority.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
        continue;
      }
      try {
        authority.checkValidity();
        cert.verify(authority.getPublicKey());
        return true;
      } catch (GeneralSecurityException e) {
        // Another CA of the same name (during a rotation) may have signed it.
      }
    }
    return false;
  }

  private static byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
    Signature signature = Signature.getInstance(algorithm(key.getAlgorithm()));
    signature.initSign(key);
    signature.update(data);
    return signature.sign();
  }

  private static boolean verifySignature(PublicKey key, byte[] data, byte[] signed) throws GeneralSecurityException {
    Signature signature = Signature.getInstance(algorithm(key.getAlgorithm()));
    signature.initVerify(key);
    signature.update(data);
    try {
      return signature.verify(signed);
    } catch (java.security.SignatureException e) {
      return false;
    }
  }

  private static String algorithm(String keyAlgorithm) throws GeneralSecurityException {
    return switch (keyAlgorithm) {
      // "ECDSA": the same key once BouncyCastle is a registered provider (the SFTP door registers it).
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new GeneralSecurityException("unsupported cluster key algorithm " + keyAlgorithm);
    };
  }

  /** Every certificate of a PEM file, in order. */
  static List<X509Certificate> readCertificates(Path path) throws IOException, GeneralSecurityException {
    List<X509Certificate> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(path)) {
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) cert);
      }
    }
    if (out.isEmpty()) {
      throw new GeneralSecurityException("no certificate in " + path);
    }
    return out;
  }

  /** A PEM private key: PKCS#8, or the PKCS#1 (RSA) and SEC1 (EC) forms openssl and cert-manager also write. */
  static PrivateKey readPrivateKey(Path path) throws IOException, GeneralSecurityException {
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (object instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
      }
    }
    throw new GeneralSecurityException("no unencrypted private key in " + path);
  }
}
