package dev.ferry.client.transfer;

import dev.ferry.client.Messages;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The answers that end an upload (PROTOCOL.md section 5), as the user reads them. */
class UploadAnswersTest {

  private final Messages en = Messages.forLocale(Locale.ENGLISH);
  private final Messages zh = Messages.forLocale(Locale.CHINESE);

  private String notReady(Messages m, String reason) {
    return UploadAnswers.notReady(reason, 3L << 20, "/home/alice/docs").describe(m);
  }

  private String failed(Messages m, String data) {
    return UploadAnswers.failed(data).describe(m);
  }

  @Test
  void refusalsBeforeAnyByte() {
    assertThat(notReady(en, "QUOTA_EXCEEDED*1048576*2097152"))
      .isEqualTo("quota exceeded: 1.0 MiB of 2.0 MiB used, and the file needs 3.0 MiB");
    assertThat(notReady(zh, "QUOTA_EXCEEDED*1048576*2097152")).isEqualTo("超出配额：已用 1.0 MiB，配额 2.0 MiB，此文件需要 3.0 MiB");
    assertThat(notReady(en, "NO_PERMISSION")).isEqualTo("permission denied in /home/alice/docs");
    assertThat(notReady(en, "NO_SUCH_DIR")).isEqualTo("no such directory on the server: /home/alice/docs");
    assertThat(notReady(en, "BAD_NAME")).startsWith("bad name:");
    assertThat(notReady(en, "IS_A_DIRECTORY")).contains("a directory has this name in /home/alice/docs");
    assertThat(notReady(en, "BUSY")).contains("another session is uploading the same file");
    assertThat(notReady(en, "SOMETHING_NEW")).isEqualTo("the server cannot take the upload: SOMETHING_NEW");
  }

  @Test
  void failuresAfterTheBytes() {
    assertThat(failed(en, "FAILE*0*CHECKSUM_MISMATCH")).contains("do not match the file's SHA-256").contains("nothing was stored");
    assertThat(failed(en, "FAILE*1024*BAD_OFFSET")).contains("another offset").contains("resume");
    assertThat(failed(en, "FAILE*1024*ABORTED")).contains("stopped the upload");
    assertThat(failed(en, "FAILE*1024*QUOTA_EXCEEDED*5*4")).startsWith("quota exceeded during the upload");
    assertThat(failed(en, "FAILE*1024*ERROR")).contains("internal error");
    assertThat(failed(zh, "FAILE*0*CHECKSUM_MISMATCH")).contains("SHA-256 不符");
    assertThat(failed(en, "FAILE*1*WHAT")).isEqualTo("the upload failed: FAILE*1*WHAT");
  }
}
