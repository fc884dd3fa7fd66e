package dev.ferry.client.command;

import dev.ferry.client.Messages;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class TablesTest {

  private final Messages en = Messages.forLocale(Locale.ENGLISH);

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
      + "{\"account\":\"alice\",\"role\":\"user\",\"locked\":true,\"quota\":1048576,\"used\":2048}]";
    assertThat(AccountCommands.usersTable(json, en)).isEqualTo(
      "ACCOUNT  ROLE   LOCKED     USED      QUOTA\n"
        + "admin    admin  no         10 B  unlimited\n"
        + "alice    user   yes     2.0 KiB    1.0 MiB\n");
  }

  @Test
  void quotaLines() {
    assertThat(AccountCommands.quotaLine(en, "alice", 512 * 1024, 1024 * 1024))
      .isEqualTo("alice: 512.0 KiB of 1.0 MiB used  [##########----------]  50%");
    assertThat(AccountCommands.quotaLine(en, "admin", 10, 0)).isEqualTo("admin: 10 B used, no limit");
  }
}
