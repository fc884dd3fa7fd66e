package dev.ferry.quota;

import dev.ferry.protocol.Role;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Limits, their defaults and their file, on real files in a temp directory. */
class QuotaLimitsTest {

  private static final long DEFAULT = 1_000;

  @TempDir
  Path data;

  @Test
  void aMissingFileMeansEveryAccountHasTheDefault() throws IOException {
    QuotaLimits limits = QuotaLimits.load(data.resolve("quota.json"), DEFAULT);
    assertThat(limits.explicitLimits()).isEmpty();
    assertThat(limits.limitOf("alice")).isEqualTo(DEFAULT);
    assertThat(limits.limitOf("alice", Role.USER)).isEqualTo(DEFAULT);
  }

  @Test
  void savedLimitsLoadBackInTheDocumentedFormat() throws IOException {
    Path file = data.resolve("quota.json");
    QuotaLimits.empty(DEFAULT).withLimit("alice", 123).withLimit("bob", QuotaLimits.UNLIMITED).save(file);

    assertThat(new JsonObject(Files.readString(file)))
      .isEqualTo(new JsonObject("{\"version\":1,\"limits\":{\"alice\":123,\"bob\":0}}"));
    QuotaLimits loaded = QuotaLimits.load(file, DEFAULT);
    assertThat(loaded.explicitLimits()).isEqualTo(Map.of("alice", 123L, "bob", 0L));
    assertThat(loaded.limitOf("alice")).isEqualTo(123);
    assertThat(loaded.limitOf("bob")).isEqualTo(QuotaLimits.UNLIMITED);
    assertThat(loaded.limitOf("carol")).isEqualTo(DEFAULT);
    try (Stream<Path> files = Files.list(data)) {
      assertThat(files).as("no temp file left behind").containsExactly(file);
    }
  }

  @Test
  void theDefaultIsNotStoredSoAChangedDefaultApplies() throws IOException {
    Path file = data.resolve("quota.json");
    QuotaLimits.empty(DEFAULT).withLimit("alice", 5).save(file);
    QuotaLimits loaded = QuotaLimits.load(file, 77);
    assertThat(loaded.limitOf("alice")).isEqualTo(5);
    assertThat(loaded.limitOf("bob")).isEqualTo(77);
  }

  @Test
  void crashDebrisBesideTheFileIsIgnored() throws IOException {
    Path file = data.resolve("quota.json");
    Files.writeString(data.resolve("quota.json.4242.1.tmp"), "{\"version\":1,\"limits\":{\"alice\":9");
    assertThat(QuotaLimits.load(file, DEFAULT).explicitLimits()).isEmpty();

    QuotaLimits.empty(DEFAULT).withLimit("alice", 42).save(file);
    Files.writeString(data.resolve("quota.json.4242.2.tmp"), "{\"version\":1,\"limits\":{\"alice\":1}}");
    assertThat(QuotaLimits.load(file, DEFAULT).limitOf("alice")).isEqualTo(42);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "not json",
    "{\"version\":1,\"limits\":{\"alice\":12",
    "[]",
    "{\"limits\":{}}",
    "{\"version\":2,\"limits\":{}}",
    "{\"version\":1,\"limits\":{\"alice\":-1}}",
    "{\"version\":1,\"limits\":{\"alice\":\"lots\"}}",
    "{\"version\":1,\"limits\":{\"alice\":null}}",
    "{\"version\":1,\"limits\":{\"../etc\":5}}",
    "{\"version\":1,\"limits\":[1]}"
  })
  void aFileThatIsNotAQuotaFileIsRefusedNotForgotten(String content) throws IOException {
    Path file = data.resolve("quota.json");
    Files.writeString(file, content);
    assertThatThrownBy(() -> QuotaLimits.load(file, DEFAULT)).isInstanceOf(IOException.class);
  }

  @Test
  void changesMakeNewValues() {
    QuotaLimits empty = QuotaLimits.empty(DEFAULT);
    QuotaLimits one = empty.withLimit("alice", 10);
    assertThat(empty.limitOf("alice")).isEqualTo(DEFAULT);
    assertThat(one.limitOf("alice")).isEqualTo(10);
    assertThat(one.withLimit("alice", 20).limitOf("alice")).isEqualTo(20);
    assertThat(one.without("alice").limitOf("alice")).isEqualTo(DEFAULT);
    assertThat(one.without("bob")).isSameAs(one);
    assertThatThrownBy(() -> empty.withLimit("alice", -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QuotaLimits.empty(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAdminIsNeverLimited() {
    QuotaLimits limits = QuotaLimits.empty(DEFAULT).withLimit("root", 10);
    assertThat(limits.limitOf("root", Role.ADMIN)).isEqualTo(QuotaLimits.UNLIMITED);
    assertThat(limits.limitOf("root", Role.USER)).isEqualTo(10);
  }

  @Test
  void fitsIsExactAtTheLimitAndNeverOverflows() {
    assertThat(QuotaLimits.fits(0, 100, 100)).isTrue();
    assertThat(QuotaLimits.fits(60, 40, 100)).isTrue();
    assertThat(QuotaLimits.fits(60, 41, 100)).isFalse();
    assertThat(QuotaLimits.fits(101, 0, 100)).isFalse();
    assertThat(QuotaLimits.fits(1, Long.MAX_VALUE, Long.MAX_VALUE)).isFalse();
    assertThat(QuotaLimits.fits(Long.MAX_VALUE, Long.MAX_VALUE, 100)).isFalse();
    assertThat(QuotaLimits.fits(Long.MAX_VALUE, Long.MAX_VALUE, QuotaLimits.UNLIMITED)).isTrue();
  }
}
