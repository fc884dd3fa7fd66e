package dev.ferry.server;

import io.vertx.core.json.JsonObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Makes a cluster's TLS material: a cluster CA ({@code ca.crt}, {@code ca.key}) and, signed by
 * it, one certificate and key per member ({@code <member>.crt}, {@code <member>.key}), all PEM,
 * keys PKCS#8 and created readable by the owner only; and the cluster's shared secret
 * ({@code cluster.secret}, owner only too). What {@code ferry-server --cluster-certs}
 * runs, and what the test kits use. Blocking.
 */
public final class ClusterCertificates {

  public static final String CA_CERT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  /** The cluster's shared secret: Hazelcast admits only members that hold it. */
  public static final String SECRET = "cluster.secret";
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration MEMBER_VALIDITY = Duration.ofDays(825);
  private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ClusterCertificates() {
  }

  /**
   * Issues a certificate for each of {@code members} under {@code dir}, making the CA there first
   * if it has none. An existing member certificate is replaced (a new key each time).
   *
   * @throws IllegalArgumentException for a member name that is not a plain file name
   */
  public static void issue(Path dir, String... members) throws IOException {
    for (String member : members) {
      if (!MEMBER.matcher(member).matches() || member.equals("ca")) {
        throw new IllegalArgumentException("member name '" + member + "': letters, digits, '.', '_' and '-' only, not 'ca'");
      }
    }
    Files.createDirectories(dir);
    try {
      ensureCa(dir);
      ensureSecret(dir);
      X509Certificate caCert = ClusterCredentials.readCertificates(dir.resolve(CA_CERT)).get(0);
      PrivateKey caKey = ClusterCredentials.readPrivateKey(dir.resolve(CA_KEY));
      for (String member : members) {
        KeyPair pair = newKeyPair();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCert,
          new BigInteger(64, RANDOM), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(MEMBER_VALIDITY)),
          new X500Name("CN=" + member), pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        // Each member is a TLS server (its event bus) and a client (sending to the others).
        builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey));
        write(dir.resolve(member + ".key"), pem(new JcaPKCS8Generator(pair.getPrivate(), null)), true);
        write(dir.resolve(member + ".crt"), pem(holder), false);
      }
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot make cluster certificates in " + dir, e);
    }
  }

  /** The four settings that point a member at its material under {@code dir}, as FERRY_* variables. */
  public static Map<String, String> environment(Path dir, String member) {
    Map<String, String> env = new LinkedHashMap<>();
    JsonObject settings = settings(dir, member);
    for (Setting s : List.of(Setting.CLUSTER_TLS_CERT_PATH, Setting.CLUSTER_TLS_KEY_PATH, Setting.CLUSTER_TLS_CA_PATH,
      Setting.CLUSTER_SECRET_PATH)) {
      env.put(s.env(), settings.getString(s.key()));
    }
    return env;
  }

  /** The four settings that point a member at its material under {@code dir}. */
  public static JsonObject settings(Path dir, String member) {
    return new JsonObject()
      .put(Setting.CLUSTER_TLS_CERT_PATH.key(), dir.resolve(member + ".crt").toAbsolutePath().toString())
      .put(Setting.CLUSTER_TLS_KEY_PATH.key(), dir.resolve(member + ".key").toAbsolutePath().toString())
      .put(Setting.CLUSTER_TLS_CA_PATH.key(), dir.resolve(CA_CERT).toAbsolutePath().toString())
      .put(Setting.CLUSTER_SECRET_PATH.key(), dir.resolve(SECRET).toAbsolutePath().toString());
  }

  /** 32 random bytes, Base64, readable by the owner only; an existing secret is kept. */
  private static void ensureSecret(Path dir) throws IOException {
    if (Files.isRegularFile(dir.resolve(SECRET))) {
      return;
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    write(dir.resolve(SECRET), Base64.getEncoder().encodeToString(secret) + "\n", true);
  }

  private static void ensureCa(Path dir) throws IOException, GeneralSecurityException, OperatorCreationException {
    Path cert = dir.resolve(CA_CERT);
    Path key = dir.resolve(CA_KEY);
    if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
      return;
    }
    KeyPair pair = newKeyPair();
    X500Name subject = new X500Name("CN=ferry cluster CA " + Long.toHexString(RANDOM.nextLong()));
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, RANDOM),
      Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
    new JcaX509CertificateConverter().getCertificate(holder); // fails here, not at first use, if malformed
    write(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null)), true);
    write(cert, pem(holder), false);
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  /** A key is created owner-only before its bytes are written, so it is never readable by others. */
  private static void write(Path target, String content, boolean secret) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    try {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(temp); // not a POSIX file system: nothing finer to ask for
    }
    Files.writeString(temp, content, StandardCharsets.US_ASCII);
    Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
