package dev.ferry.auth;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Keys that live only as long as this auth process and never leave it. */
final class ProcessKeys {

  private ProcessKeys() {
  }

  /** An HMAC-SHA256 under a fresh random 256-bit key; not thread-safe, as every {@link Mac}. */
  static Mac randomHmacSha256() {
    return hmacSha256(randomKey());
  }

  /** 256 random bits. */
  static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /** An HMAC-SHA256 under {@code key}. */
  static Mac hmacSha256(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
