package dev.ferry.auth;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.Principal;
import dev.ferry.protocol.bus.SessionTokens;
import dev.ferry.protocol.bus.TokenKeys;
import dev.ferry.protocol.bus.TokenRevocations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ES256 tokens: what auth signs verifies with its public key, and nothing else does. */
@ExtendWith(VertxExtension.class)
class TokenSignerTest {

  private static final Principal ALICE = new Principal("alice", Role.USER);
  private static final Principal ROOT = new Principal("root", Role.ADMIN);

  @Test
  void aTokenAuthSignsVerifiesWithThePublicKeyAndNamesItsKey(Vertx vertx, VertxTestContext ctx) {
    TokenSigner signer = signer(vertx, TestTokens.PRIVATE, TestTokens.PUBLIC);
    String token = signer.issue(ALICE);
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
    assertThat(header.getString("alg")).isEqualTo("ES256");
    assertThat(header.getString("kid")).isEqualTo(TokenKeys.kid(TestTokens.PUBLIC)).hasSize(16);
    TestTokens.verifier(vertx).verify(token).onComplete(ctx.succeeding(p -> ctx.verify(() -> {
      assertThat(p).isEqualTo(ALICE);
      assertThat(p.token()).isEqualTo(token);
      ctx.completeNow();
    })));
  }

  @Test
  void tokensOfAnyOtherKeyHs256OrNoneAreRefused(Vertx vertx, VertxTestContext ctx) {
    String[] other = TokenKeys.generate();
    String foreign = signer(vertx, other[0], other[1]).issue(ROOT);
    String payload = base64(new JsonObject().put("sub", "root").put("role", "admin")
      .put(SessionTokens.ISSUED_MILLIS_CLAIM, System.currentTimeMillis()).put("exp", System.currentTimeMillis() / 1000 + 600).encode());
    String none = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".";
    // HS256 keyed with the public key's text: the classic confusion of a verifier that trusts the header's alg.
    String hs256 = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
        .setBuffer(TestTokens.PUBLIC)))
      .generateToken(new JsonObject().put("role", "admin").put(SessionTokens.ISSUED_MILLIS_CLAIM, System.currentTimeMillis()),
        new JWTOptions().setAlgorithm("HS256").setSubject("root"));
    String[] parts = signer(vertx, TestTokens.PRIVATE, TestTokens.PUBLIC).issue(ALICE).split("\\.");
    String promoted = parts[0] + "." + payload + "." + parts[2];
    SessionTokens verifier = TestTokens.verifier(vertx);
    List<Future<Principal>> tries = List.of(verifier.verify(foreign), verifier.verify(none), verifier.verify(hs256),
      verifier.verify(promoted));
    Future.join(tries).onComplete(done -> ctx.verify(() -> {
      for (Future<Principal> attempt : tries) {
        assertThat(attempt.failed()).as("refused").isTrue();
        assertThat(Failure.of(attempt.cause())).isEqualTo(Failure.UNAUTHENTICATED);
      }
      ctx.completeNow();
    }));
  }

  @Test
  void aVerifierCannotMint(Vertx vertx) {
    // SessionTokens has nothing that returns a token...
    List<Method> minting = Arrays.stream(SessionTokens.class.getDeclaredMethods())
      .filter(m -> !Modifier.isPrivate(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && m.getReturnType() == String.class)
      .toList();
    assertThat(minting).isEmpty();
    // ...and what it holds, the public key, signs nothing.
    JWTAuth publicOnly = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256")
      .setBuffer(TestTokens.PUBLIC)));
    assertThatThrownBy(() -> publicOnly.generateToken(new JsonObject(), new JWTOptions().setAlgorithm("ES256")))
      .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> signer(vertx, TestTokens.PUBLIC, TestTokens.PUBLIC)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSignerRefusesAPrivateKeyWhosePublicKeyIsNotConfigured(Vertx vertx) {
    String[] other = TokenKeys.generate();
    assertThatThrownBy(() -> signer(vertx, other[0], TestTokens.PUBLIC)).hasMessageContaining("not among the token public keys");
  }

  @Test
  void duringARotationBothKeysVerify(Vertx vertx, VertxTestContext ctx) {
    String[] next = TokenKeys.generate();
    String old = signer(vertx, TestTokens.PRIVATE, TestTokens.PUBLIC).issue(ALICE);
    String fresh = signer(vertx, next[0], next[1]).issue(ALICE);
    SessionTokens both = new SessionTokens(vertx, List.of(TestTokens.PUBLIC, next[1]), TokenRevocations.unshared(vertx, 900));
    SessionTokens nextOnly = new SessionTokens(vertx, List.of(next[1]), TokenRevocations.unshared(vertx, 900));
    Future.all(both.verify(old), both.verify(fresh), nextOnly.verify(fresh))
      .compose(v -> nextOnly.verify(old))
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(Failure.of(e)).isEqualTo(Failure.UNAUTHENTICATED);
        ctx.completeNow();
      })));
  }

  @Test
  void aRevocationVoidsEarlierTokensAndNotTheNextOne(Vertx vertx, VertxTestContext ctx) {
    TokenRevocations revocations = TokenRevocations.unshared(vertx, 900);
    TokenSigner signer = new TokenSigner(vertx, TestTokens.PRIVATE, List.of(TestTokens.PUBLIC), 60, revocations);
    SessionTokens verifier = new SessionTokens(vertx, List.of(TestTokens.PUBLIC), revocations);
    String before = signer.issue(ALICE);
    String other = signer.issue(ROOT);
    revocations.revoke("alice")
      .compose(upTo -> {
        // Issued in the same millisecond as the revocation or not, a new token is after it.
        String after = signer.issue(ALICE);
        return Future.all(verifier.verify(after), verifier.verify(other)).compose(v -> verifier.verify(before));
      })
      .onComplete(ctx.failing(e -> ctx.verify(() -> {
        assertThat(Failure.of(e)).isEqualTo(Failure.UNAUTHENTICATED);
        ctx.completeNow();
      })));
  }

  private static TokenSigner signer(Vertx vertx, String privatePem, String publicPem) {
    return new TokenSigner(vertx, privatePem, List.of(publicPem), 60, TokenRevocations.unshared(vertx, 900));
  }

  private static String base64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
