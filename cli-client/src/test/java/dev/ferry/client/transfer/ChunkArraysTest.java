package dev.ferry.client.transfer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkArraysTest {

  @Test
  void aGivenArrayIsTakenAgainWhenLongEnoughAndAtMostKeptAreHeld() {
    ChunkArrays arrays = new ChunkArrays(2);
    byte[] a = arrays.take(100);
    byte[] b = arrays.take(100);
    byte[] c = arrays.take(100);
    assertThat(a).hasSize(100);
    arrays.give(a);
    arrays.give(b);
    arrays.give(c);
    assertThat(arrays.take(50)).isSameAs(a);
    assertThat(arrays.take(100)).isSameAs(b);
    assertThat(arrays.take(100)).as("c was not kept").isNotSameAs(c).hasSize(100);
    arrays.give(new byte[10]);
    assertThat(arrays.take(20)).as("too short: dropped for a new one").hasSize(20);
  }
}
