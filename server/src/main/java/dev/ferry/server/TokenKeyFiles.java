package dev.ferry.server;

import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.TokenKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The key files of the session tokens, read (blocking) at start: the private key signs, on the
 * process that runs auth-service only; the public keys verify, on every process. A server that
 * is not clustered and names neither file makes a P-256 pair under {@code <data>/keys} on its
 * first start and reuses it; a clustered one must be given its files.
 */
final class TokenKeyFiles {

  /** Config key under which the private key's PEM text reaches auth-service, and no other verticle. */
  static final String PRIVATE_KEY = "tokenPrivateKey";
  static final String PRIVATE_FILE = "token-private.pem";
  static final String PUBLIC_FILE = "token-public.pem";

  private TokenKeyFiles() {
  }

  /**
   * Puts {@link SessionTokens#PUBLIC_KEYS_CONFIG} and, where auth runs, {@link #PRIVATE_KEY}
   * into {@code ready}; fails with a message for the operator when the files do not fit the
   * services this process runs.
   */
  static void load(JsonObject ready, Set<Service> services, Path data) throws IOException {
    String privatePath = ready.getString(Setting.TOKEN_PRIVATE_KEY_PATH.key());
    String publicPath = ready.getString(Setting.TOKEN_PUBLIC_KEY_PATH.key());
    boolean auth = services.contains(Service.AUTH);
    if (privatePath != null && !auth) {
      // The key that mints identity stays with auth-service: a copy anywhere else is one more to steal.
      throw new IllegalArgumentException(Setting.TOKEN_PRIVATE_KEY_PATH.key() + " (" + Setting.TOKEN_PRIVATE_KEY_PATH.env()
        + ") is set, but this process runs no auth service: only auth-service may hold the key that signs session tokens."
        + " Remove it here and give this process " + Setting.TOKEN_PUBLIC_KEY_PATH.key() + " only");
    }
    if (privatePath == null && publicPath == null && !ready.getBoolean(Setting.CLUSTER.key())) {
      Path[] generated = ensureGenerated(data.resolve("keys"));
      privatePath = auth ? generated[0].toString() : null;
      publicPath = generated[1].toString();
    }
    if (publicPath == null || publicPath.isBlank()) {
      throw new IllegalArgumentException(Setting.TOKEN_PUBLIC_KEY_PATH.key() + " (" + Setting.TOKEN_PUBLIC_KEY_PATH.env()
        + ") must be set in a cluster: the PEM public key(s) every service verifies session tokens with");
    }
    if (auth && privatePath == null) {
      throw new IllegalArgumentException(Setting.TOKEN_PRIVATE_KEY_PATH.key() + " (" + Setting.TOKEN_PRIVATE_KEY_PATH.env()
        + ") must be set where auth runs: the PKCS#8 PEM private key that signs session tokens");
    }
    ready.put(SessionTokens.PUBLIC_KEYS_CONFIG, new JsonArray(TokenKeys.readPublicKeys(publicPath)));
    if (privatePath != null) {
      ready.put(PRIVATE_KEY, Files.readString(Path.of(privatePath), StandardCharsets.US_ASCII));
    }
  }

  /** The pair under {@code dir}, made on first use: [private, public]. */
  static Path[] ensureGenerated(Path dir) throws IOException {
    Path privateKey = dir.resolve(PRIVATE_FILE);
    Path publicKey = dir.resolve(PUBLIC_FILE);
    if (Files.exists(privateKey) && Files.exists(publicKey)) {
      return new Path[] {privateKey, publicKey};
    }
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Files.createDirectories(dir, posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
      PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0]);
    String[] pair = TokenKeys.generate();
    // Each file is written whole under a temporary name, created with its final permissions, then moved.
    write(dir, privateKey, pair[0], posix ? "rw-------" : null);
    write(dir, publicKey, pair[1], posix ? "rw-r--r--" : null);
    return new Path[] {privateKey, publicKey};
  }

  private static void write(Path dir, Path target, String text, String permissions) throws IOException {
    FileAttribute<?>[] attributes = permissions == null ? new FileAttribute<?>[0]
      : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    Path temp = Files.createTempFile(dir, ".key", ".tmp", attributes);
    try {
      Files.writeString(temp, text, StandardCharsets.US_ASCII);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
