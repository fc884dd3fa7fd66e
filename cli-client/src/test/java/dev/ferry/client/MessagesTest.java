package dev.ferry.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MessagesTest {

  private static Properties load(String name) throws IOException {
    Properties p = new Properties();
    try (InputStream in = MessagesTest.class.getResourceAsStream("/dev/ferry/client/" + name)) {
      assertThat(in).as(name).isNotNull();
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return p;
  }

  @Test
  void everyKeyIsInBothBundles() throws IOException {
    Set<String> english = load("messages.properties").stringPropertyNames();
    Set<String> chinese = load("messages_zh.properties").stringPropertyNames();
    assertThat(chinese).containsExactlyInAnyOrderElementsOf(english);
  }

  @Test
  void everyMessageIsAValidPatternWithTheSameArguments() throws IOException {
    Properties en = load("messages.properties");
    Properties zh = load("messages_zh.properties");
    for (String key : en.stringPropertyNames()) {
      MessageFormat english = new MessageFormat(en.getProperty(key), Locale.ENGLISH);
      MessageFormat chinese = new MessageFormat(zh.getProperty(key), Locale.CHINESE);
      assertThat(chinese.getFormatsByArgumentIndex().length)
        .as("arguments of %s", key)
        .isLessThanOrEqualTo(english.getFormatsByArgumentIndex().length);
    }
  }

  @Test
  void chineseIsReallyChinese() throws IOException {
    Properties zh = load("messages_zh.properties");
    assertThat(zh.getProperty("reply.bad-credentials")).isEqualTo("账户或密码错误");
  }

  @Test
  void everyCommandHasUsageAndHelpInBothLanguages() {
    for (Locale locale : new Locale[] {Locale.ENGLISH, Locale.CHINESE}) {
      Messages messages = Messages.forLocale(locale);
      for (var command : dev.ferry.client.command.CommandTable.standard().commands()) {
        assertThat(messages.get(command.usageKey())).as(command.usageKey()).isNotEqualTo(command.usageKey()).startsWith(command.name());
        assertThat(messages.get(command.helpKey())).as(command.helpKey()).isNotEqualTo(command.helpKey());
      }
    }
  }

  @Test
  void chineseAnswersAreExplainedInEnglish() {
    Messages en = Messages.forLocale(Locale.ENGLISH);
    assertThat(ReplyMeaning.describe(en, "没有访问权限!")).isEqualTo("permission denied (没有访问权限!)");
    assertThat(ReplyMeaning.describe(en, "路径不存在!")).isEqualTo("no such path (路径不存在!)");
    assertThat(ReplyMeaning.describe(en, "BAD_FRAME*NO_CMD")).contains("NO_CMD");
    assertThat(ReplyMeaning.describe(en, "SOMETHING_NEW")).isEqualTo("the server answered: SOMETHING_NEW");
  }

  @Test
  void apostrophesSurviveFormatting() {
    assertThat(Messages.forLocale(Locale.ENGLISH).get("usage.hint")).isEqualTo("Try 'ferry --help' for usage.");
  }

  @Test
  void localeFollowsOptionThenPosixVariables() {
    assertThat(Messages.resolveLocale(null, Map.of()).getLanguage()).isEqualTo("en");
    assertThat(Messages.resolveLocale(null, Map.of("LANG", "zh_CN.UTF-8")).getLanguage()).isEqualTo("zh");
    assertThat(Messages.resolveLocale(null, Map.of("LANG", "zh_CN.UTF-8", "LC_ALL", "C")).getLanguage()).isEqualTo("en");
    assertThat(Messages.resolveLocale("en", Map.of("LANG", "zh_CN.UTF-8")).getLanguage()).isEqualTo("en");
    assertThat(Messages.resolveLocale("zh", Map.of()).getLanguage()).isEqualTo("zh");
    assertThat(Messages.resolveLocale(null, Map.of("LANG", "de_DE@euro")).getLanguage()).isEqualTo("de");
  }

  @Test
  void aLanguageWithoutBundleFallsBackToEnglishNotTheJvmDefault() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.CHINA);
      assertThat(Messages.forLocale(Locale.GERMAN).get("users.yes")).isEqualTo("yes");
      assertThat(Messages.forLocale(Locale.ENGLISH).get("users.yes")).isEqualTo("yes");
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void nestedMessagesResolveInTheSameLanguage() {
    Messages zh = Messages.forLocale(Locale.CHINESE);
    assertThat(zh.get("usage.command", new Messages.Ref("command.mkdir.usage"))).isEqualTo("用法：mkdir 路径");
  }
}
