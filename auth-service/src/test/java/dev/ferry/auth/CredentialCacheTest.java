package dev.ferry.auth;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialCacheTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);

  @Test
  void onlyTheSamePasswordOfTheSameStoredHashMatches() {
    CredentialCache cache = new CredentialCache(300, 100, clock::get);
    assertThat(cache.matches("alice", "$pbkdf2$h1", "right-password")).as("nothing remembered yet").isFalse();
    cache.remember("alice", "$pbkdf2$h1", "right-password");
    assertThat(cache.matches("alice", "$pbkdf2$h1", "right-password")).isTrue();
    assertThat(cache.matches("alice", "$pbkdf2$h1", "wrong-password")).isFalse();
    assertThat(cache.matches("alice", "$pbkdf2$h2", "right-password")).as("the password changed since").isFalse();
    assertThat(cache.matches("bob", "$pbkdf2$h1", "right-password")).isFalse();
  }

  @Test
  void anEntryExpiresAndCanBeForgotten() {
    CredentialCache cache = new CredentialCache(300, 100, clock::get);
    cache.remember("alice", "h", "right-password");
    clock.addAndGet(299_999);
    assertThat(cache.matches("alice", "h", "right-password")).isTrue();
    clock.addAndGet(1);
    assertThat(cache.matches("alice", "h", "right-password")).isFalse();
    assertThat(cache.size()).isZero();

    cache.remember("alice", "h", "right-password");
    cache.forget("alice");
    assertThat(cache.matches("alice", "h", "right-password")).isFalse();
  }

  @Test
  void zeroSecondsRemembersNothing() {
    CredentialCache cache = new CredentialCache(0, 100, clock::get);
    cache.remember("alice", "h", "right-password");
    assertThat(cache.matches("alice", "h", "right-password")).isFalse();
    assertThat(cache.size()).isZero();
  }

  @Test
  void itHoldsAtMostItsBoundTheOldestGoingFirst() {
    CredentialCache cache = new CredentialCache(300, 3, clock::get);
    for (int i = 0; i < 5; i++) {
      cache.remember("user" + i, "h", "pw");
    }
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.matches("user0", "h", "pw")).isFalse();
    assertThat(cache.matches("user4", "h", "pw")).isTrue();
  }
}
