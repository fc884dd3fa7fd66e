package dev.ferry.client.transfer;

import dev.ferry.client.ExitCode;
import dev.ferry.client.Messages;
import dev.ferry.client.command.QuotaUsage;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The answers that end an upload (PROTOCOL.md section 5), as the user reads them. */
class UploadAnswersTest {

  private final Messages en = Messages.forLocale(Locale.ENGLISH);
  private final Messages zh = Messages.forLocale(Locale.CHINESE);
  /** How often a test's charge asked the server for the usage. */
  private final AtomicInteger asked = new AtomicInteger();

  /** The session's own account; asked, the server says 1.5 MiB of 2.0 MiB. */
  private final UploadAnswers.Charge own = new UploadAnswers.Charge(null, () -> {
    asked.incrementAndGet();
    return Optional.of(new QuotaUsage(3L << 19, 2L << 20));
  });
  /** Bob's home, written by an admin; asked, the server says 10.0 MiB of 10.0 MiB. */
  private final UploadAnswers.Charge bobs = new UploadAnswers.Charge("bob", () -> {
    asked.incrementAndGet();
    return Optional.of(new QuotaUsage(10L << 20, 10L << 20));
  });
  /** Asking fails (refused, or the connection is gone). */
  private final UploadAnswers.Charge unknown = new UploadAnswers.Charge(null, () -> {
    asked.incrementAndGet();
    return Optional.empty();
  });

  private String notReady(Messages m, String reason, UploadAnswers.Charge charge) {
    return UploadAnswers.notReady(reason, 3L << 20, "/home/alice/docs", charge).describe(m);
  }

  private String notReady(Messages m, String reason) {
    return notReady(m, reason, UploadAnswers.Charge.OWN);
  }

  private String failed(Messages m, String data, UploadAnswers.Charge charge) {
    return UploadAnswers.failed(data, charge).describe(m);
  }

  private String failed(Messages m, String data) {
    return failed(m, data, UploadAnswers.Charge.OWN);
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
  void aQuotaRefusalCarryingTheNumbersAsksNothing() {
    assertThat(notReady(en, "QUOTA_EXCEEDED*1048576*2097152", own)).startsWith("quota exceeded: 1.0 MiB of 2.0 MiB used");
    assertThat(notReady(en, "QUOTA_EXCEEDED*1048576*2097152", bobs))
      .isEqualTo("quota of bob exceeded: 1.0 MiB of 2.0 MiB used, and the file needs 3.0 MiB");
    assertThat(notReady(zh, "QUOTA_EXCEEDED*1048576*2097152", bobs)).isEqualTo("超出 bob 的配额：已用 1.0 MiB，配额 2.0 MiB，此文件需要 3.0 MiB");
    assertThat(asked).hasValue(0);
  }

  @Test
  void aQuotaRefusalWithoutTheNumbersAsksForThem() {
    assertThat(notReady(en, "QUOTA_EXCEEDED", own)).isEqualTo("quota exceeded: 1.5 MiB of 2.0 MiB used, and the file needs 3.0 MiB");
    assertThat(notReady(en, "QUOTA_EXCEEDED", bobs)).startsWith("quota of bob exceeded: 10.0 MiB of 10.0 MiB used");
    assertThat(notReady(en, "QUOTA_EXCEEDED", unknown)).isEqualTo("quota exceeded: the file needs 3.0 MiB, more than is left");
    assertThat(notReady(zh, "QUOTA_EXCEEDED", unknown)).isEqualTo("超出配额：此文件需要 3.0 MiB，超过剩余空间");
    assertThat(asked).hasValue(4);
  }

  @Test
  void quotaNumbersTooLargeForALongAreNotNumbers() {
    assertThat(notReady(en, "QUOTA_EXCEEDED*99999999999999999999*1", own))
      .isEqualTo("the server cannot take the upload: QUOTA_EXCEEDED*99999999999999999999*1");
  }

  @Test
  void onlyAnErrorIsTheServerFailingAndWorthAnotherTry() {
    assertThat(UploadAnswers.serverFailed("FAILE*1024*ERROR")).isTrue();
    assertThat(UploadAnswers.serverFailed("FAILE*0*ERROR")).isTrue();
    for (String answer : new String[] {"FAILE*0*CHECKSUM_MISMATCH", "FAILE*1024*BAD_OFFSET", "FAILE*1024*ABORTED",
      "FAILE*1024*QUOTA_EXCEEDED", "FAILE*x*ERROR", "FAILE*1024*ERRORS", "ERROR"}) {
      assertThat(UploadAnswers.serverFailed(answer)).as(answer).isFalse();
    }
  }

  @Test
  void failuresAfterTheBytes() {
    assertThat(failed(en, "FAILE*0*CHECKSUM_MISMATCH")).contains("do not match the file's SHA-256").contains("nothing was stored");
    assertThat(failed(en, "FAILE*1024*BAD_OFFSET")).contains("another offset").contains("resume");
    assertThat(failed(en, "FAILE*1024*ABORTED")).contains("stopped the upload");
    assertThat(failed(en, "FAILE*1024*ERROR")).contains("internal error");
    assertThat(failed(zh, "FAILE*0*CHECKSUM_MISMATCH")).contains("SHA-256 不符");
    assertThat(failed(en, "FAILE*1*WHAT")).isEqualTo("the upload failed: FAILE*1*WHAT");
    assertThat(failed(en, "FAILE*x*ABORTED")).isEqualTo("the upload failed: FAILE*x*ABORTED");
  }

  @Test
  void aQuotaFailureAfterTheBytesSaysUsedLimitAndWhatIsKept() {
    // PROTOCOL.md's form: FAILE*<stored>*QUOTA_EXCEEDED, without the numbers: they are asked.
    assertThat(failed(en, "FAILE*1048576*QUOTA_EXCEEDED", own)).isEqualTo("quota exceeded during the upload: 1.5 MiB of"
      + " 2.0 MiB used; the 1.0 MiB stored are kept: free some space or ask for a larger quota, then run the command again to resume");
    assertThat(failed(en, "FAILE*1048576*QUOTA_EXCEEDED", bobs))
      .startsWith("quota of bob exceeded during the upload: 10.0 MiB of 10.0 MiB used; the 1.0 MiB stored are kept");
    assertThat(failed(zh, "FAILE*1048576*QUOTA_EXCEEDED", own))
      .isEqualTo("上传过程中超出配额：已用 1.5 MiB，配额 2.0 MiB；已保存的 1.0 MiB 保留：请释放空间或申请更大的配额，然后重新执行命令以续传");
    assertThat(asked).hasValue(3);
    // A server that says them is believed.
    assertThat(failed(en, "FAILE*1024*QUOTA_EXCEEDED*5*4", own)).startsWith("quota exceeded during the upload: 5 B of 4 B used; the 1.0 KiB stored");
    assertThat(asked).hasValue(3);
    assertThat(failed(en, "FAILE*1024*QUOTA_EXCEEDED", unknown)).isEqualTo("quota exceeded during the upload; the 1.0 KiB"
      + " stored are kept: free some space or ask for a larger quota, then run the command again to resume");
  }

  @Test
  void aLimitThatIsGoneExplainsNothing() {
    UploadAnswers.Charge unlimited = new UploadAnswers.Charge(null, () -> Optional.of(new QuotaUsage(5, 0)));
    assertThat(failed(en, "FAILE*1024*QUOTA_EXCEEDED", unlimited)).startsWith("quota exceeded during the upload; the 1.0 KiB stored");
  }

  @Test
  void quotaAnswersFailTheCommandAndAreNotTriedAgain() {
    // A TransferException, not an IOException: the reconnector does not run the upload again.
    TransferException refused = UploadAnswers.notReady("QUOTA_EXCEEDED*1*2", 3, "/home/alice", own);
    TransferException failed = UploadAnswers.failed("FAILE*1*QUOTA_EXCEEDED", own);
    assertThat(refused.exitCode()).isEqualTo(ExitCode.REFUSED);
    assertThat(failed.exitCode()).isEqualTo(ExitCode.REFUSED);
  }
}
