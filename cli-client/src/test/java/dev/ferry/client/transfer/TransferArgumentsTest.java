package dev.ferry.client.transfer;

import dev.ferry.client.Target;
import dev.ferry.client.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Options and operands of get and put, in the shell and one-shot. */
class TransferArgumentsTest {

  @Test
  void defaultsWithOneOperand() throws Exception {
    TransferArguments a = TransferArguments.parse(List.of("a.bin"), false);
    assertThat(a).extracting(TransferArguments::recursive, TransferArguments::overwrite, TransferArguments::quiet,
      TransferArguments::retries).containsExactly(false, false, false, TransferArguments.DEFAULT_RETRIES);
    assertThat(a.sources()).containsExactly("a.bin");
    assertThat(a.destination()).isEmpty();
  }

  @Test
  void theLastOfSeveralOperandsIsTheDestination() throws Exception {
    TransferArguments a = TransferArguments.parse(List.of("a.bin", "b.bin", "c.bin", "docs"), true);
    assertThat(a.sources()).containsExactly("a.bin", "b.bin", "c.bin");
    assertThat(a.destination()).isEqualTo("docs");
  }

  @Test
  void optionsMayComeAnywhereAndCombine() throws Exception {
    TransferArguments a = TransferArguments.parse(List.of("-rf", "a", "--quiet", "b", "--retries", "7"), true);
    assertThat(a).extracting(TransferArguments::recursive, TransferArguments::overwrite, TransferArguments::quiet,
      TransferArguments::retries).containsExactly(true, true, true, 7);
    assertThat(a.operands()).containsExactly("a", "b");

    TransferArguments b = TransferArguments.parse(List.of("--recursive", "--overwrite", "-q", "--retries=0", "x"), true);
    assertThat(b).extracting(TransferArguments::recursive, TransferArguments::overwrite, TransferArguments::quiet,
      TransferArguments::retries).containsExactly(true, true, true, 0);
  }

  @Test
  void doubleDashEndsOptionsSoNamesMayStartWithADash() throws Exception {
    TransferArguments a = TransferArguments.parse(List.of("-r", "--", "-f", "--quiet"), true);
    assertThat(a.recursive()).isTrue();
    assertThat(a.overwrite()).isFalse();
    assertThat(a.operands()).containsExactly("-f", "--quiet");
    assertThat(TransferArguments.parse(List.of("-"), false).operands()).containsExactly("-");
  }

  @Test
  void jobsDefaultToFourAndTakeEverySpelling() throws Exception {
    assertThat(TransferArguments.parse(List.of("a"), true).jobs()).isEqualTo(TransferArguments.DEFAULT_JOBS).isEqualTo(4);
    assertThat(TransferArguments.parse(List.of("-j", "1", "a"), true).jobs()).isEqualTo(1);
    assertThat(TransferArguments.parse(List.of("a", "--jobs", "16"), false).jobs()).isEqualTo(16);
    assertThat(TransferArguments.parse(List.of("--jobs=8", "a"), false).jobs()).isEqualTo(8);
    assertThat(TransferArguments.parse(List.of("-j8", "a"), false).jobs()).isEqualTo(8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-j0", "-j17", "--jobs=-1", "--jobs=many", "--jobs", "-j"})
  void jobsOutsideOneToSixteenAreUsageErrors(String option) {
    assertThatThrownBy(() -> TransferArguments.parse(List.of("a", option), true))
      .isInstanceOf(UsageException.class)
      .extracting(e -> ((UsageException) e).key()).isEqualTo("transfer.bad-jobs");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-x", "--bogus", "-rx", "--retries=-1", "--retries=101", "--retries=many", "--retries"})
  void badOptionsAreUsageErrors(String option) {
    assertThatThrownBy(() -> TransferArguments.parse(List.of("a", option), true)).isInstanceOf(UsageException.class);
  }

  @Test
  void overwriteIsForPutOnly() {
    assertThatThrownBy(() -> TransferArguments.parse(List.of("-f", "a"), false))
      .isInstanceOf(UsageException.class)
      .extracting(e -> ((UsageException) e).key()).isEqualTo("transfer.bad-option");
    assertThatThrownBy(() -> TransferArguments.parse(List.of("--overwrite", "a"), false)).isInstanceOf(UsageException.class);
  }

  @Test
  void anOperandIsNeeded() {
    assertThatThrownBy(() -> TransferArguments.parse(List.of("-r"), false))
      .isInstanceOf(UsageException.class)
      .extracting(e -> ((UsageException) e).key()).isEqualTo("usage.command");
  }

  @Test
  void optionsSurviveTheRoundTripThroughTheShellForm() throws Exception {
    TransferArguments a = TransferArguments.parse(List.of("-rq", "--retries", "3", "-j", "9", "x"), true);
    List<String> args = a.withOperands(List.of("-odd", "dir"));
    TransferArguments b = TransferArguments.parse(args, true);
    assertThat(b).isEqualTo(new TransferArguments(true, false, true, 3, 9, List.of("-odd", "dir")));
  }

  @Test
  void oneShotGetTakesTheServerFromTheFirstRemote() throws Exception {
    OneShotTransfer t = OneShotTransfer.download(List.of("alice@host:/home/alice/a.bin", "./a.bin"), "me");
    assertThat(t.target()).extracting(Target::user, Target::host, Target::port).containsExactly("alice", "host", 2121);
    assertThat(TransferArguments.parse(t.args(), false).operands()).containsExactly("/home/alice/a.bin", "./a.bin");
  }

  @Test
  void oneShotGetOfSeveralRemotesIntoTheCurrentDirectory() throws Exception {
    OneShotTransfer t = OneShotTransfer.download(List.of("-r", "bob@host:2000:docs", "bob@host:2000:a.bin", "--quiet"), "me");
    assertThat(t.target().port()).isEqualTo(2000);
    TransferArguments a = TransferArguments.parse(t.args(), false);
    assertThat(a.recursive()).isTrue();
    assertThat(a.quiet()).isTrue();
    assertThat(a.sources()).containsExactly("docs", "a.bin");
    assertThat(a.destination()).isEqualTo(".");
  }

  @Test
  void oneShotGetWithoutPathTakesTheHome() throws Exception {
    OneShotTransfer t = OneShotTransfer.download(List.of("-r", "alice@host", "backup"), "me");
    assertThat(TransferArguments.parse(t.args(), false).operands()).containsExactly("", "backup");
  }

  @Test
  void oneShotGetAllowsOneLocalDestination() {
    assertThatThrownBy(() -> OneShotTransfer.download(List.of("alice@host:a", "x", "y"), "me"))
      .isInstanceOf(UsageException.class)
      .extracting(e -> ((UsageException) e).key()).isEqualTo("get.one-local");
  }

  @Test
  void oneShotPutTakesTheServerAndDirectoryFromTheLastOperand() throws Exception {
    OneShotTransfer t = OneShotTransfer.upload(List.of("./a.bin", "./b.bin", "alice@host:/home/alice/docs", "-f"), "me");
    assertThat(t.target().host()).isEqualTo("host");
    TransferArguments a = TransferArguments.parse(t.args(), true);
    assertThat(a.overwrite()).isTrue();
    assertThat(a.sources()).containsExactly("./a.bin", "./b.bin");
    assertThat(a.destination()).isEqualTo("/home/alice/docs");
  }

  @Test
  void oneShotPutWithoutDirectoryGoesToTheHome() throws Exception {
    OneShotTransfer t = OneShotTransfer.upload(List.of("./a.bin", "alice@host"), "me");
    TransferArguments a = TransferArguments.parse(t.args(), true);
    assertThat(a.sources()).containsExactly("./a.bin");
    assertThat(a.destination()).isEmpty();
  }

  @Test
  void oneShotPutNeedsAServer() {
    assertThatThrownBy(() -> OneShotTransfer.upload(List.of("./a.bin"), "me"))
      .isInstanceOf(UsageException.class)
      .extracting(e -> ((UsageException) e).key()).isEqualTo("put.missing-server");
  }
}
