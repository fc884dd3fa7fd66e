package dev.ferry.client.shell;

import dev.ferry.client.UsageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WordsTest {

  @Test
  void splitsOnBlanksAndHonoursQuotes() throws Exception {
    assertThat(Words.split("  ls   docs ")).containsExactly("ls", "docs");
    assertThat(Words.split("mkdir \"my docs\"")).containsExactly("mkdir", "my docs");
    assertThat(Words.split("mkdir 'it''s'")).containsExactly("mkdir", "its");
    assertThat(Words.split("mkdir my\\ docs")).containsExactly("mkdir", "my docs");
    assertThat(Words.split("mv \"a \\\"b\\\"\" c")).containsExactly("mv", "a \"b\"", "c");
    assertThat(Words.split("mkdir ''")).containsExactly("mkdir", "");
    assertThat(Words.split("")).isEmpty();
  }

  @Test
  void unclosedQuoteIsAUsageError() {
    assertThatThrownBy(() -> Words.split("mkdir \"oops")).isInstanceOf(UsageException.class);
  }

  @Test
  void linesWithPasswordsStayOutOfHistory() {
    assertThat(ShellHistory.isSecret("useradd bob user 1G secret-pass")).isTrue();
    assertThat(ShellHistory.isSecret(" ls")).isTrue();
    assertThat(ShellHistory.isSecret("useradd bob user 1G")).isFalse();
    assertThat(ShellHistory.isSecret("ls docs")).isFalse();
  }
}
