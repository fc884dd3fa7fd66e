package dev.ferry.client.net;

import dev.ferry.protocol.store.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The servers this user has trusted, like ssh's {@code known_hosts}: one line per server,
 * {@code host:port SHA256:<hex>}, the SHA-256 of the server certificate's DER encoding. Blank
 * lines and lines starting with {@code #} are kept as they are.
 */
public final class KnownServers {

  public static final String FILE_NAME = "known_servers";
  public static final String FINGERPRINT_PREFIX = "SHA256:";

  private final Path file;

  public KnownServers(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The recorded fingerprint of {@code serverKey}, if any. */
  public Optional<String> fingerprintOf(String serverKey) throws IOException {
    for (String line : lines()) {
      String[] fields = fields(line);
      if (fields != null && fields[0].equals(serverKey)) {
        return Optional.of(fields[1]);
      }
    }
    return Optional.empty();
  }

  /** Records {@code fingerprint} for {@code serverKey}, replacing the line it had. */
  public void remember(String serverKey, String fingerprint) throws IOException {
    List<String> kept = new ArrayList<>();
    for (String line : lines()) {
      String[] fields = fields(line);
      if (fields == null || !fields[0].equals(serverKey)) {
        kept.add(line);
      }
    }
    kept.add(serverKey + " " + fingerprint);
    AtomicFile.write(file, (String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** {@code SHA256:<lower-case hex>} of the certificate's DER encoding. */
  public static String fingerprint(X509Certificate certificate) throws CertificateEncodingException {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return FINGERPRINT_PREFIX + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Whether two fingerprints are the same, ignoring case and {@code :} separators between hex pairs. */
  public static boolean same(String a, String b) {
    return canonical(a).equals(canonical(b));
  }

  private static String canonical(String fingerprint) {
    String hex = fingerprint.regionMatches(true, 0, FINGERPRINT_PREFIX, 0, FINGERPRINT_PREFIX.length())
      ? fingerprint.substring(FINGERPRINT_PREFIX.length())
      : fingerprint;
    return hex.replace(":", "").toLowerCase(Locale.ROOT);
  }

  private List<String> lines() throws IOException {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /** {@code [serverKey, fingerprint]}, or null for a blank, comment or malformed line. */
  private static String[] fields(String line) {
    String trimmed = line.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
      return null;
    }
    String[] fields = trimmed.split("\\s+");
    return fields.length == 2 ? fields : null;
  }
}
