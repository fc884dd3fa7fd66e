package dev.ferry.protocol.bus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM key material of the session tokens: EC P-256 keys (ES256), the private one PKCS#8
 * ({@code BEGIN PRIVATE KEY}), the public ones X.509 SubjectPublicKeyInfo ({@code BEGIN PUBLIC
 * KEY}), the form {@code openssl genpkey}/{@code openssl pkey -pubout} write. A key's id
 * ({@code kid}) is a short SHA-256 thumbprint of its public key, so the signer and every
 * verifier derive the same id from the files without configuring one.
 */
public final class TokenKeys {

  private static final Pattern PUBLIC_PEM =
    Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
  private static final int KID_BYTES = 8;

  private TokenKeys() {
  }

  /** A new P-256 pair as PEM texts: [private PKCS#8, public]. */
  public static String[] generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      return new String[] {pem("PRIVATE KEY", pair.getPrivate().getEncoded()), pem("PUBLIC KEY", pair.getPublic().getEncoded())};
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
    }
  }

  /** The public keys of {@code pemText} (one PEM file may hold several), each its own PEM text. */
  public static List<String> publicKeys(String pemText) {
    List<String> keys = new ArrayList<>();
    Matcher m = PUBLIC_PEM.matcher(pemText);
    while (m.find()) {
      keys.add(pem("PUBLIC KEY", decode(m.group(1))));
    }
    return keys;
  }

  /** The public keys of a comma-separated list of PEM files; fails when a file holds none. */
  public static List<String> readPublicKeys(String commaSeparatedPaths) throws IOException {
    List<String> keys = new ArrayList<>();
    for (String path : commaSeparatedPaths.split(",")) {
      if (path.isBlank()) {
        continue;
      }
      String text = Files.readString(Path.of(path.strip()), StandardCharsets.US_ASCII);
      List<String> found = publicKeys(text);
      if (found.isEmpty()) {
        throw new IllegalArgumentException(path.strip() + " holds no PEM public key (BEGIN PUBLIC KEY)");
      }
      keys.addAll(found);
    }
    return keys;
  }

  /** The key id of a public key PEM: the first bytes of the SHA-256 of its DER form, base64url. */
  public static String kid(String publicPem) {
    List<String> keys = publicKeys(publicPem);
    if (keys.size() != 1) {
      throw new IllegalArgumentException("expected exactly one PEM public key, found " + keys.size());
    }
    Matcher m = PUBLIC_PEM.matcher(keys.get(0));
    m.find();
    byte[] der = decode(m.group(1));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
      return HexFormat.of().formatHex(digest, 0, KID_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 missing", e);
    }
  }

  /** Whether a public key PEM is an EC key (the only kind ES256 verifies). */
  public static boolean isEcPublicKey(String publicPem) {
    Matcher m = PUBLIC_PEM.matcher(publicPem);
    if (!m.find()) {
      return false;
    }
    try {
      PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(decode(m.group(1))));
      return key.getAlgorithm().equals("EC");
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] decode(String base64) {
    return Base64.getMimeDecoder().decode(base64.replaceAll("\\s", ""));
  }
}
