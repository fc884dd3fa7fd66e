package dev.ferry.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class PasswordHasherTest {

  @Test
  void hashesAreSelfDescribingSaltedAndVerify(Vertx vertx, VertxTestContext ctx) {
    PasswordHasher.create(vertx, 1234, 1, 4)
      .compose(hasher -> Future.all(hasher.hash("correct horse"), hasher.hash("correct horse"))
        .compose(two -> {
          String first = two.resultAt(0);
          String second = two.resultAt(1);
          ctx.verify(() -> {
            assertThat(first).startsWith("$pbkdf2$it=1234$").doesNotContain("correct horse");
            assertThat(second).isNotEqualTo(first);
            String salt = first.split("\\$")[3];
            assertThat(Base64.getDecoder().decode(salt)).hasSizeGreaterThanOrEqualTo(PasswordHasher.SALT_BYTES);
          });
          return Future.all(hasher.verify(first, "correct horse"), hasher.verify(first, "correct horsE"),
            hasher.verify("not a hash", "correct horse"), hasher.verifyDummy("anything"));
        }))
      .onComplete(ctx.succeeding(checks -> ctx.verify(() -> {
        assertThat(new boolean[] {checks.resultAt(0), checks.resultAt(1), checks.resultAt(2), checks.resultAt(3)})
          .containsExactly(true, false, false, false);
        ctx.completeNow();
      })));
  }

  @Test
  void generatedSecretsAreLongAndPlain() {
    SecureRandom random = new SecureRandom();
    String one = PasswordHasher.randomSecret(random, 24);
    assertThat(one).hasSize(24).matches("[A-Za-z0-9]+");
    assertThat(PasswordHasher.randomSecret(random, 24)).isNotEqualTo(one);
  }
}
