package dev.ferry.client.transfer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The local SHA-256 cache, on real files, with a clock the test moves. */
class LocalChecksumsTest {

  private static final String SHA_A = "a".repeat(64);
  private static final String SHA_B = "b".repeat(64);

  @TempDir
  Path dir;

  /** The wall clock well past every file's times: what was written is settled. */
  private final AtomicLong clock = new AtomicLong(TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) + TimeUnit.HOURS.toNanos(1));

  private LocalChecksums checksums(int max) {
    return new LocalChecksums(dir.resolve(LocalChecksums.FILE_NAME), clock::get, max, 1, Runnable::run);
  }

  private Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private static LocalChecksums.Stamp stamp(Path file) {
    return LocalChecksums.Stamp.of(file).orElseThrow();
  }

  /** Taken now, by the test's clock. */
  private LocalChecksums.Taken taken(Path file) {
    return checksums(10).take(file);
  }

  @Test
  void anUnchangedFileIsFoundAgainByALaterRun() throws Exception {
    Path a = file("a.bin", "alpha");
    checksums(10).remember(a, taken(a), SHA_A);
    assertThat(checksums(10).lookup(a)).contains(SHA_A);
    assertThat(checksums(10).lookup(dir.resolve("./a.bin"))).as("the same file by another path").contains(SHA_A);
  }

  @Test
  void aChangedFileIsNotFoundEvenWithItsSizeAndModificationTimeRestored() throws Exception {
    Path a = file("a.bin", "alpha");
    FileTime modified = Files.getLastModifiedTime(a);
    checksums(10).remember(a, taken(a), SHA_A);
    Files.writeString(a, "omega");
    Files.setLastModifiedTime(a, modified);
    assertThat(Files.size(a)).isEqualTo(5);
    assertThat(checksums(10).lookup(a)).isEmpty();
  }

  @Test
  void aFileReplacedByAnotherIsNotFound() throws Exception {
    Path a = file("a.bin", "alpha");
    checksums(10).remember(a, taken(a), SHA_A);
    Path other = file("other.bin", "alpha");
    Files.setLastModifiedTime(other, Files.getLastModifiedTime(a));
    Files.move(other, a, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(checksums(10).lookup(a)).isEmpty();
  }

  @Test
  void aFileChangedDuringTheReadOrTooRecentlyIsNotKept() throws Exception {
    Path a = file("a.bin", "alpha");
    LocalChecksums.Taken before = taken(a);
    Files.writeString(a, "alphabet");
    checksums(10).remember(a, before, SHA_A);
    assertThat(checksums(10).lookup(a)).as("changed while it was read").isEmpty();

    clock.set(Math.max(stamp(a).modified(), stamp(a).changed()) + LocalChecksums.SETTLED - 1);
    LocalChecksums.Taken early = taken(a);
    clock.addAndGet(TimeUnit.HOURS.toNanos(1));
    checksums(10).remember(a, early, SHA_A);
    assertThat(checksums(10).lookup(a)).as("read within the clock's tick of a change, remembered much later").isEmpty();
  }

  @Test
  void forgetDropsTheEntryAndANewChecksumReplacesTheOld() throws Exception {
    Path a = file("a.bin", "alpha");
    Path b = file("b.bin", "beta");
    checksums(10).remember(a, taken(a), SHA_A);
    checksums(10).remember(a, taken(a), SHA_B);
    checksums(10).remember(b, taken(b), SHA_A);
    assertThat(checksums(10).lookup(a)).contains(SHA_B);
    assertThat(Files.readAllLines(dir.resolve(LocalChecksums.FILE_NAME))).hasSize(2);
    checksums(10).forget(a);
    assertThat(checksums(10).lookup(a)).isEmpty();
    assertThat(checksums(10).lookup(b)).contains(SHA_A);
  }

  @Test
  void onlyTheNewestEntriesAreKept() throws Exception {
    for (int i = 0; i < 5; i++) {
      Path f = file("f" + i, "file " + i);
      checksums(3).remember(f, taken(f), SHA_A);
    }
    assertThat(Files.readAllLines(dir.resolve(LocalChecksums.FILE_NAME))).hasSize(3);
    assertThat(checksums(3).lookup(dir.resolve("f0"))).isEmpty();
    assertThat(checksums(3).lookup(dir.resolve("f4"))).contains(SHA_A);
  }

  @Test
  void aDamagedFileReadsAsEmptyAndIsRewritten() throws Exception {
    Path a = file("a.bin", "alpha");
    Files.writeString(dir.resolve(LocalChecksums.FILE_NAME), "{not json\n{\"path\":1}\n", StandardCharsets.UTF_8);
    assertThat(checksums(10).lookup(a)).isEmpty();
    checksums(10).remember(a, taken(a), SHA_A);
    assertThat(checksums(10).lookup(a)).contains(SHA_A);
  }

  @Test
  void filesHashedAheadAreAwaitedWithTheirProgressAndRemembered() throws Exception {
    byte[] bytes = new byte[3 << 20];
    new java.util.Random(5).nextBytes(bytes);
    Path big = Files.write(dir.resolve("big.bin"), bytes);
    Path small = file("small.bin", "tiny");
    LocalChecksums checksums = new LocalChecksums(dir.resolve(LocalChecksums.FILE_NAME), clock::get, 10, 1 << 20, task -> new Thread(task).start());
    checksums.prefetch(java.util.List.of(big, small, dir.resolve("missing.bin"), dir));
    java.util.List<String> phases = new java.util.ArrayList<>();
    Progress progress = new Progress() {
      @Override
      public void begin(String name, Phase phase, long total, long done) {
        phases.add(name + " " + phase);
      }

      @Override
      public void update(long done) {
      }

      @Override
      public void end(boolean completed) {
        phases.add("end " + completed);
      }
    };
    String expected = Sha256.hex(Sha256.newDigest().digest(bytes));
    assertThat(LocalChecksums.await(checksums.ahead(big).orElseThrow(), Files.size(big), "big.bin", progress,
      Cancellation.none())).contains(expected);
    assertThat(phases).containsExactly("big.bin CHECKSUM", "end true");
    assertThat(checksums.lookup(big)).as("remembered").contains(expected);
    assertThat(checksums.ahead(big)).as("taken once").isEmpty();
    assertThat(checksums.ahead(small)).as("too small to hash ahead").isEmpty();
  }

  @Test
  void withoutAConfigDirectoryNothingIsKept() throws Exception {
    Path a = file("a.bin", "alpha");
    LocalChecksums none = LocalChecksums.in(null);
    none.remember(a, taken(a), SHA_A);
    assertThat(none.lookup(a)).isEmpty();
    assertThat(dir.resolve(LocalChecksums.FILE_NAME)).doesNotExist();
  }
}
