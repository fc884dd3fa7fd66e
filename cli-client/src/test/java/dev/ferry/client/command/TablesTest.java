package dev.ferry.client.command;

import dev.ferry.client.Messages;
import dev.ferry.client.RefusedException;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TablesTest {

  private final Messages en = Messages.forLocale(Locale.ENGLISH);
  private final Messages zh = Messages.forLocale(Locale.CHINESE);

  @Test
  void listingTable() throws Exception {
    long mtime = LocalDateTime.of(2024, 5, 6, 7, 8).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    List<RemoteEntry> entries = RemoteEntry.parseListing(
      "[{\"name\":\"docs\",\"type\":\"dir\",\"size\":4096,\"mtime\":" + mtime + "},"
        + "{\"name\":\"报告.txt\",\"type\":\"file\",\"size\":1536,\"mtime\":" + mtime + "}]");

    assertThat(FileCommands.table(entries, en)).isEqualTo(
      "TYPE     SIZE  MODIFIED          NAME\n"
        + "dir         -  2024-05-06 07:08  docs/\n"
        + "file  1.5 KiB  2024-05-06 07:08  报告.txt\n");
  }

  @Test
  void emptyListing() throws Exception {
    assertThat(FileCommands.table(RemoteEntry.parseListing("[]"), en)).isEqualTo("(empty directory)\n");
  }

  @Test
  void usersTable() throws Exception {
    String json = "[{\"account\":\"admin\",\"role\":\"admin\",\"locked\":false,\"quota\":0,\"used\":10},"
      + "{\"account\":\"alice\",\"role\":\"user\",\"locked\":true,\"quota\":1048576,\"used\":2048},"
      + "{\"account\":\"bob\",\"role\":\"user\",\"locked\":false,\"quota\":10485760,\"used\":3355444}]";
    assertThat(AccountCommands.usersTable(json, en)).isEqualTo(
      "ACCOUNT  ROLE   LOCKED     USED      QUOTA  USE%\n"
        + "admin    admin  no         10 B  unlimited     -\n"
        + "alice    user   yes     2.0 KiB    1.0 MiB    0%\n"
        + "bob      user   no      3.2 MiB   10.0 MiB   32%\n");
  }

  @Test
  void usersTableInChinese() throws Exception {
    String json = "[{\"account\":\"alice\",\"role\":\"user\",\"locked\":false,\"quota\":0,\"used\":1536}]";
    assertThat(AccountCommands.usersTable(json, zh)).isEqualTo(
      "账户   角色  锁定     已用  配额  使用率\n"
        + "alice  user  否    1.5 KiB  不限       -\n");
  }

  @Test
  void aUsersAnswerThatIsNotJsonIsARefusal() {
    assertThatThrownBy(() -> AccountCommands.usersTable("没有访问权限!", en)).isInstanceOf(RefusedException.class);
  }

  @Test
  void quotaLinesWithAndWithoutTheBar() {
    QuotaUsage half = new QuotaUsage(512 * 1024, 1024 * 1024);
    assertThat(AccountCommands.quotaLine(en, "alice", half, false)).isEqualTo("alice: used 512.0 KiB of 1.0 MiB (50%)");
    assertThat(AccountCommands.quotaLine(en, "alice", half, true))
      .isEqualTo("alice: used 512.0 KiB of 1.0 MiB (50%) [██████████░░░░░░░░░░]");
    assertThat(AccountCommands.quotaLine(en, "bob", new QuotaUsage(3355444, 10L << 20), true))
      .isEqualTo("bob: used 3.2 MiB of 10.0 MiB (32%) [██████░░░░░░░░░░░░░░]");
    assertThat(AccountCommands.quotaLine(zh, "alice", half, true))
      .isEqualTo("alice：已用 512.0 KiB，共 1.0 MiB（50%） [██████████░░░░░░░░░░]");
  }

  @Test
  void noLimitIsSaidAndHasNoBar() {
    QuotaUsage unlimited = new QuotaUsage(10, 0);
    assertThat(AccountCommands.quotaLine(en, "admin", unlimited, true)).isEqualTo("admin: used 10 B, unlimited");
    assertThat(AccountCommands.quotaLine(en, "admin", unlimited, false)).isEqualTo("admin: used 10 B, unlimited");
    assertThat(AccountCommands.quotaLine(zh, "admin", unlimited, true)).isEqualTo("admin：已用 10 B，不限额");
  }

  @Test
  void quotaAnswers() {
    assertThat(QuotaUsage.parse("3355444*10485760")).contains(new QuotaUsage(3355444, 10485760));
    assertThat(QuotaUsage.parse("0*0")).hasValueSatisfying(u -> assertThat(u.unlimited()).isTrue());
    assertThat(QuotaUsage.parse("0")).isEmpty();
    assertThat(QuotaUsage.parse("没有访问权限!")).isEmpty();
    assertThat(QuotaUsage.parse("UNKNOWN_COMMAND")).isEmpty();
    assertThat(QuotaUsage.parse("99999999999999999999*1")).as("too large for a long").isEmpty();
    assertThat(QuotaUsage.parse("-1*5")).isEmpty();
  }
}
