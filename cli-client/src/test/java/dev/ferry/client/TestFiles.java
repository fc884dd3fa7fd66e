package dev.ferry.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Files for transfer tests: random contents (seeded, so a failure can be replayed), hashes, trees. */
final class TestFiles {

  static final int MIB = 1 << 20;

  private TestFiles() {
  }

  static Path random(Path file, long size, long seed) throws IOException {
    byte[] bytes = new byte[(int) size];
    new Random(seed).nextBytes(bytes);
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.write(file, bytes);
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every file and directory under {@code root}, relative, with its SHA-256 ("dir" for directories). */
  static TreeMap<String, String> tree(Path root) throws IOException {
    TreeMap<String, String> entries = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(p -> !p.equals(root)).toList()) {
        entries.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir" : sha256(p));
      }
    }
    return entries;
  }
}
