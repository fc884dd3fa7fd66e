package dev.ferry.client.format;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SafeTextTest {

  @Test
  void terminalEscapesAndBidiOverridesBecomeQuestionMarks() {
    assertThat(SafeText.of("\u001b[2J\u001b]0;owned\u0007")).isEqualTo("?[2J?]0;owned?");
    assertThat(SafeText.of("a\u009b31mb")).as("the 8-bit CSI").isEqualTo("a?31mb");
    assertThat(SafeText.of("line\r\nnext\u007f")).isEqualTo("line??next?");
    assertThat(SafeText.of("invoice\u202Efdp.exe")).isEqualTo("invoice?fdp.exe");
    assertThat(SafeText.of("\u2066x\u2069")).isEqualTo("?x?");
  }

  @Test
  void printableTextOfAnyScriptIsKept() {
    assertThat(SafeText.of("没有访问权限! résumé ✓ 🚢 a*b")).isEqualTo("没有访问权限! résumé ✓ 🚢 a*b");
  }
}
