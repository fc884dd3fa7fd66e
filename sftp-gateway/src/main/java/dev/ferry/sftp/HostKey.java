package dev.ferry.sftp;

import dev.ferry.protocol.store.PrivateFiles;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.spec.ECGenParameterSpec;
import java.util.Iterator;

/**
 * The door's SSH host key: an ECDSA P-256 key pair kept in {@code <data>/ssh/host_ecdsa_key}
 * (OpenSSH format, owner-only), made on first start and reused, so clients see the same
 * fingerprint across restarts; or a key file given by {@code sftpHostKeyPath}, read as it is.
 */
public final class HostKey {

  static final String FILE = "host_ecdsa_key";

  private final KeyPairProvider provider;
  private final KeyPair keyPair;

  private HostKey(KeyPairProvider provider, KeyPair keyPair) {
    this.provider = provider;
    this.keyPair = keyPair;
  }

  /** Loads the key under {@code dir}, making it (and the directory, owner-only) on first use. Blocking. */
  public static HostKey load(Path dir) throws IOException {
    PrivateFiles.createDirectories(dir);
    Path file = dir.resolve(FILE);
    SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(file);
    provider.setAlgorithm(KeyUtils.EC_ALGORITHM);
    provider.setKeySpec(new ECGenParameterSpec("secp256r1"));
    provider.setKeySize(256);
    provider.setStrictFilePermissions(true);
    KeyPair pair = provider.loadKeys(null).iterator().next();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return new HostKey(provider, pair);
  }

  /**
   * Reads an existing private key (OpenSSH or PEM format, e.g. from {@code ssh-keygen -t ecdsa}),
   * as it is: nothing is made or changed, so it may sit on a read-only volume. Blocking.
   */
  public static HostKey read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("sftpHostKeyPath " + file + " is no file: make one with ssh-keygen -t ecdsa -N '' -f FILE");
    }
    FileKeyPairProvider provider = new FileKeyPairProvider(file);
    Iterator<KeyPair> keys;
    try {
      keys = provider.loadKeys(null).iterator();
    } catch (RuntimeException e) {
      throw new IOException("cannot read the SSH host key " + file + ": " + e.getMessage(), e);
    }
    if (!keys.hasNext()) {
      throw new IOException("no SSH private key in " + file);
    }
    return new HostKey(provider, keys.next());
  }

  KeyPairProvider provider() {
    return provider;
  }

  /** {@code SHA256:<base64 without padding>}, as {@code ssh-keygen -lf} shows it. */
  public String fingerprint() {
    return KeyUtils.getFingerPrint(BuiltinDigests.sha256, keyPair.getPublic());
  }
}
