package dev.ferry.protocol.bus;

import dev.ferry.protocol.Role;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A remembered verify answers as a fresh one would: expiry, revocation and a changed signature still refuse. */
@ExtendWith(VertxExtension.class)
class SessionTokensTest {

  private static final String[] PAIR = TokenKeys.generate();

  private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
  private TokenRevocations revocations;
  private SessionTokens tokens;
  private JWTAuth signer;

  @BeforeEach
  void setUp(Vertx vertx) {
    revocations = TokenRevocations.unshared(vertx, 900);
    tokens = new SessionTokens(vertx, List.of(PAIR[1]), revocations, now::get);
    signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
      .setAlgorithm(SessionTokens.ALGORITHM).setId(TokenKeys.kid(PAIR[1])).setBuffer(PAIR[0])));
  }

  private String issue(String account, long issuedMillis) {
    return signer.generateToken(new JsonObject().put(SessionTokens.ROLE_CLAIM, Role.USER.wire())
        .put(SessionTokens.ISSUED_MILLIS_CLAIM, issuedMillis),
      new JWTOptions().setAlgorithm(SessionTokens.ALGORITHM).setHeader(new JsonObject().put("kid", TokenKeys.kid(PAIR[1])))
        .setSubject(account).setExpiresInSeconds(600));
  }

  private boolean accepted(String token) throws Exception {
    return tokens.verify(token).toCompletionStage().toCompletableFuture()
      .handle((p, error) -> error == null).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aRememberedTokenIsStillRefusedOnceRevoked() throws Exception {
    String token = issue("alice", System.currentTimeMillis() - 1);
    assertThat(accepted(token)).isTrue();
    assertThat(accepted(token)).isTrue();
    revocations.revoke("alice").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(accepted(token)).isFalse();
  }

  @Test
  void aRememberedTokenIsRefusedOnceExpired() throws Exception {
    String token = issue("alice", System.currentTimeMillis());
    assertThat(accepted(token)).isTrue();
    now.addAndGet(TimeUnit.SECONDS.toMillis(601));
    assertThat(accepted(token)).isFalse();
  }

  @Test
  void aTokenWithAnotherSignatureIsNotTakenForTheRememberedOne() throws Exception {
    String token = issue("alice", System.currentTimeMillis());
    assertThat(accepted(token)).isTrue();
    int middle = token.lastIndexOf('.') + (token.length() - token.lastIndexOf('.')) / 2;
    char swapped = token.charAt(middle) == 'A' ? 'B' : 'A';
    String tampered = token.substring(0, middle) + swapped + token.substring(middle + 1);
    assertThat(accepted(tampered)).isFalse();
    assertThat(accepted(token)).isTrue();
  }

  @Test
  void moreTokensThanItRemembersStillVerify() throws Exception {
    long issued = System.currentTimeMillis();
    String first = issue("alice", issued);
    assertThat(accepted(first)).isTrue();
    for (int i = 0; i < SessionTokens.REMEMBERED; i++) {
      tokens.remember("token-" + i, new SessionTokens.Verified(new Principal("bob", Role.USER), issued, now.get() + 60_000));
    }
    assertThat(tokens.remembered()).isLessThanOrEqualTo(SessionTokens.REMEMBERED);
    assertThat(accepted(first)).isTrue();
  }
}
