package dev.ferry.client.transfer;

import dev.ferry.client.ExitCode;
import dev.ferry.client.Messages;
import dev.ferry.client.RefusedException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server failing a step ({@link ServerFailureException}, issue 5) is tried again on the same
 * connection, with the waits and the count of a lost connection; a refusal is final. No session:
 * these paths must never reconnect (a null session would throw if they did).
 */
class ReconnectorTest {

  private final Messages en = Messages.forLocale(Locale.ENGLISH);
  private final ByteArrayOutputStream noticeBytes = new ByteArrayOutputStream();
  private final PrintStream notices = new PrintStream(noticeBytes, true, StandardCharsets.UTF_8);
  /** Every wait asked for, in slices; nothing really waits. */
  private final List<Long> slept = new ArrayList<>();
  private final Cancellation cancellation = Cancellation.none();

  private Reconnector reconnector(int retries) {
    return new Reconnector(null, retries, cancellation, notices, en, slept::add);
  }

  private long waited() {
    return slept.stream().mapToLong(Long::longValue).sum();
  }

  private String notices() {
    return noticeBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aServerFailureIsTriedAgainAfterTheUsualWaits() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    String result = reconnector(5).run("a.bin", () -> 0, () -> {
      if (tries.incrementAndGet() <= 2) {
        throw new ServerFailureException("download ABORTED*0");
      }
      return "done";
    });
    assertThat(result).isEqualTo("done");
    assertThat(tries).hasValue(3);
    assertThat(waited()).isEqualTo(Reconnector.delayMillis(1) + Reconnector.delayMillis(2));
    assertThat(notices()).isEqualTo(String.join(System.lineSeparator(),
      "a.bin: the server failed the transfer (download ABORTED*0); resuming in 0.5 s (try 1 of 5)",
      "a.bin: the server failed the transfer (download ABORTED*0); resuming in 1.0 s (try 2 of 5)", ""));
  }

  @Test
  void aServerThatKeepsFailingEndsTheStepAfterTheRetries() {
    AtomicInteger tries = new AtomicInteger();
    assertThatThrownBy(() -> reconnector(2).run("a.bin", () -> 0, () -> {
      tries.incrementAndGet();
      throw new ServerFailureException("ERROR");
    })).isInstanceOfSatisfying(TransferException.class, e -> {
      assertThat(e.exitCode()).isEqualTo(ExitCode.REFUSED);
      assertThat(e.describe(en))
        .isEqualTo("the server failed the transfer (ERROR), still after 2 tries; run the same command again to resume");
    });
    assertThat(tries).hasValue(3);
  }

  @Test
  void withoutRetriesTheServerFailureIsTheAnswer() {
    ServerFailureException failure = new ServerFailureException("uploading FAILE*5*ERROR");
    assertThatThrownBy(() -> reconnector(0).run("a.bin", () -> 0, () -> {
      throw failure;
    })).isSameAs(failure);
    assertThat(notices()).isEmpty();
  }

  @Test
  void bytesMovedBeforeAFailureStartTheCountAgain() throws Exception {
    AtomicLong position = new AtomicLong();
    AtomicInteger tries = new AtomicInteger();
    long result = reconnector(1).run("a.bin", position::get, () -> {
      if (tries.incrementAndGet() <= 4) {
        position.addAndGet(100);
        throw new ServerFailureException("download ABORTED*" + position.get());
      }
      return position.get();
    });
    assertThat(result).isEqualTo(400);
    assertThat(waited()).isEqualTo(4 * Reconnector.delayMillis(1));
  }

  @Test
  void aRefusalIsFinal() {
    AtomicInteger tries = new AtomicInteger();
    assertThatThrownBy(() -> reconnector(5).run("a.bin", () -> 0, () -> {
      tries.incrementAndGet();
      throw new RefusedException("NO_PERMISSION");
    })).isInstanceOf(RefusedException.class);
    assertThat(tries).hasValue(1);
    assertThat(slept).isEmpty();
  }

  @Test
  void ctrlCDuringTheWaitEndsIt() {
    assertThatThrownBy(() -> reconnector(5).run("a.bin", () -> 0, () -> {
      cancellation.press();
      throw new ServerFailureException("download ABORTED*0");
    })).isInstanceOf(TransferInterruptedException.class);
    assertThat(slept).isEmpty();
  }
}
