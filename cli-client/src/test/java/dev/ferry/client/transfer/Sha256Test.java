package dev.ferry.client.transfer;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The digest transfers use: native where it loads, and the same bytes as the JDK's either way. */
class Sha256Test {

  @Test
  void isTheNativeDigestOnLinuxX8664() {
    assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"));
    assertThat(Sha256.newDigest().getProvider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
  }

  @Test
  void matchesTheKnownAnswerAndTheJdkOverArraysAndBuffers() throws Exception {
    assertThat(Sha256.hex(Sha256.newDigest().digest("abc".getBytes(StandardCharsets.US_ASCII))))
      .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    byte[] data = new byte[3 << 20];
    new Random(7).nextBytes(data);
    MessageDigest transfer = Sha256.newDigest();
    transfer.update(data, 0, 1 << 20);
    // A download feeds heap buffers, a prefix may come from a direct one.
    transfer.update(ByteBuffer.wrap(data, 1 << 20, 1 << 20));
    ByteBuffer direct = ByteBuffer.allocateDirect(1 << 20).put(data, 2 << 20, 1 << 20).flip();
    transfer.update(direct);
    assertThat(transfer.digest()).isEqualTo(MessageDigest.getInstance("SHA-256", "SUN").digest(data));
  }
}
