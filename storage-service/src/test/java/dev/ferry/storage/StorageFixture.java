package dev.ferry.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * The tree the bus tests run against (built on the test thread, before the verticle starts):
 *
 * <pre>
 * files/home/alice/notes.txt, b.txt, sub/deep.txt, alpha/empty.bin, Zeta/, empty/
 * files/home/alice/inner    -> sub              (inside, but still hidden and refused)
 * files/home/alice/etc      -> /etc             (hidden, refused)
 * files/home/alice/tobob    -> files/home/bob   (hidden, refused)
 * files/home/alice/big      -> outside/big.bin  (hidden, never counted)
 * files/home/alice/dangling -> nowhere          (hidden, refused)
 * files/home/bob/secret.txt
 * files/home/bob/shared     -> outside          (its target survives a purge)
 * outside/loot.txt, outside/big.bin
 * </pre>
 */
final class StorageFixture {

  static final String NOTES = "hello, these are alice's notes\n";
  static final String B = "bbb";
  static final String DEEP = "deep down";
  static final long NOTES_MTIME = 1_700_000_000_000L;

  private StorageFixture() {
  }

  static void build(Path files, Path outside) throws IOException {
    Path alice = Files.createDirectories(files.resolve("home/alice"));
    Path bob = Files.createDirectories(files.resolve("home/bob"));
    Files.writeString(alice.resolve("notes.txt"), NOTES);
    Files.setLastModifiedTime(alice.resolve("notes.txt"), FileTime.fromMillis(NOTES_MTIME));
    Files.writeString(alice.resolve("b.txt"), B);
    Files.createDirectories(alice.resolve("sub"));
    Files.writeString(alice.resolve("sub/deep.txt"), DEEP);
    Files.createDirectories(alice.resolve("alpha"));
    Files.createFile(alice.resolve("alpha/empty.bin"));
    Files.createDirectories(alice.resolve("Zeta"));
    Files.createDirectories(alice.resolve("empty"));
    Files.writeString(outside.resolve("loot.txt"), "loot");
    Files.write(outside.resolve("big.bin"), new byte[4096]);
    Files.createSymbolicLink(alice.resolve("inner"), Path.of("sub"));
    Files.createSymbolicLink(alice.resolve("etc"), Path.of("/etc"));
    Files.createSymbolicLink(alice.resolve("tobob"), bob.toAbsolutePath());
    Files.createSymbolicLink(alice.resolve("big"), outside.resolve("big.bin").toAbsolutePath());
    Files.createSymbolicLink(alice.resolve("dangling"), Path.of("nowhere"));
    Files.writeString(bob.resolve("secret.txt"), "bob's secret");
    Files.createSymbolicLink(bob.resolve("shared"), outside.toAbsolutePath());
  }
}
