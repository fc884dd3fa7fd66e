package dev.ferry.server;

import dev.ferry.protocol.store.AtomicFile;
import dev.ferry.protocol.store.PrivateFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
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
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The certificate a server uses when TLS is on and none is configured: generated once under
 * {@code <data>/tls} and reused on every later start, so clients that trusted it on first use
 * keep trusting it. Blocking: run it on a worker.
 */
final class SelfSignedCertificate {

  static final String CERT_FILE = "server.crt";
  static final String KEY_FILE = "server.key";
  private static final Duration VALIDITY = Duration.ofDays(3650);

  private SelfSignedCertificate() {
  }

  /** Returns {certificate, key} paths under {@code dir}, generating them if either is missing. */
  static Path[] ensure(Path dir, String host) throws IOException {
    Path cert = dir.resolve(CERT_FILE);
    Path key = dir.resolve(KEY_FILE);
    if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
      generate(cert, key, host);
    }
    return new Path[] {cert, key};
  }

  private static void generate(Path cert, Path key, String host) throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      X500Name subject = new X500Name("CN=ferry");
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
        new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)),
        subject, pair.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
        subjectName(host)}));
      X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
      PrivateFiles.createDirectories(cert.getParent());
      // AtomicFile creates both 0600 from the start: the key is never readable by others, not even briefly.
      AtomicFile.write(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null)).getBytes(StandardCharsets.US_ASCII));
      AtomicFile.write(cert, pem(holder).getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot generate a self-signed certificate", e);
    }
  }

  private static GeneralName subjectName(String host) {
    boolean ip = host.matches("[0-9.]+") || host.contains(":");
    return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host);
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
