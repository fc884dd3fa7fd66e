package dev.ferry.client.format;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SizesTest {

  @Test
  void humanSizesUseBinaryUnits() {
    assertThat(Sizes.human(0)).isEqualTo("0 B");
    assertThat(Sizes.human(1023)).isEqualTo("1023 B");
    assertThat(Sizes.human(1024)).isEqualTo("1.0 KiB");
    assertThat(Sizes.human(1536)).isEqualTo("1.5 KiB");
    assertThat(Sizes.human(1_000_000)).isEqualTo("976.6 KiB");
    assertThat(Sizes.human(1024 * 1024 - 1)).isEqualTo("1.0 MiB");
    assertThat(Sizes.human(1L << 30)).isEqualTo("1.0 GiB");
    assertThat(Sizes.human(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
  }

  @Test
  void parsesBytesAndUnits() {
    assertThat(Sizes.parse("1000000")).isEqualTo(1_000_000);
    assertThat(Sizes.parse("0")).isZero();
    assertThat(Sizes.parse("1K")).isEqualTo(1024);
    assertThat(Sizes.parse("1.5m")).isEqualTo(1_572_864);
    assertThat(Sizes.parse("1GiB")).isEqualTo(1L << 30);
    assertThat(Sizes.parse("2 GB")).isEqualTo(2L << 30);
  }

  @Test
  void rejectsWhatIsNotASize() {
    for (String bad : new String[] {"", "-1", "lots", "1X", "1.5.5", "99999999999P"}) {
      assertThatThrownBy(() -> Sizes.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void tableAlignsColumnsByTerminalCells() {
    String table = new TextTable(false, true).row("名称", "1").row("ab", "100").render();
    assertThat(table).isEqualTo("名称    1\nab    100\n");
  }

  @Test
  void controlCharactersAreNotPrinted() {
    assertThat(SafeText.of("a\u001b[2Jb\n")).isEqualTo("a?[2Jb?");
  }
}
