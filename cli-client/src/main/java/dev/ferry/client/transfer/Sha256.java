package dev.ferry.client.transfer;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.HexFormat;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

/**
 * SHA-256 of local files, in the lower-case hex the protocol sends. The digest is Amazon Corretto
 * Crypto Provider's native one where it loads (Linux x86-64): the JDK's is as fast only once C2
 * has compiled it, and C2 compiling costs a short-lived client about a CPU-second.
 */
public final class Sha256 {

  private static final int BLOCK = 1 << 20;

  private Sha256() {
  }

  /** The native provider, or null where its library does not load (another platform). */
  private static final class Native {
    static final Provider PROVIDER = load();

    private static Provider load() {
      try {
        AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
        return provider.getLoadingError() == null ? provider : null;
      } catch (LinkageError | RuntimeException e) {
        return null;
      }
    }
  }

  /** Loads the native digest's library on a thread of its own, so that the first transfer does not wait for it. */
  public static void warmUpInBackground() {
    Thread loading = new Thread(Sha256::newDigest, "sha256-warm-up");
    loading.setDaemon(true);
    loading.start();
  }

  /** What computes the digest, as {@code --version} reports it: the native provider and its version, or the JDK. */
  public static String implementation() {
    Provider provider = Native.PROVIDER;
    return provider == null ? "JDK " + System.getProperty("java.version") : provider.getName() + " " + provider.getVersionStr();
  }

  static MessageDigest newDigest() {
    try {
      Provider provider = Native.PROVIDER;
      return provider == null ? MessageDigest.getInstance("SHA-256") : MessageDigest.getInstance("SHA-256", provider);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /**
   * Feeds bytes {@code [0, end)} of {@code channel} (reading {@code file}) into {@code digest},
   * shown as a checksum phase, stopping at Ctrl-C.
   *
   * @throws TransferException if the file cannot be read, or is shorter than {@code end}
   */
  static void update(MessageDigest digest, FileChannel channel, Path file, long end, String name, Progress progress,
                     Cancellation cancellation) throws TransferException, TransferInterruptedException {
    progress.begin(name, Progress.Phase.CHECKSUM, end, 0);
    boolean completed = false;
    try {
      ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
      long position = 0;
      while (position < end) {
        if (cancellation.requested()) {
          throw new TransferInterruptedException(name);
        }
        buffer.clear().limit((int) Math.min(BLOCK, end - position));
        int n = LocalFiles.read(channel, buffer, position, file);
        if (n < 0) {
          throw new TransferException("local.changed", file);
        }
        digest.update(buffer.array(), 0, n);
        position += n;
        progress.update(position);
      }
      completed = true;
    } finally {
      progress.end(completed);
    }
  }
}
