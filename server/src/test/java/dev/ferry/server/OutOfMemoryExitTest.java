package dev.ferry.server;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped JVM options make a JVM that runs out of heap exit, so that its supervisor restarts
 * it, rather than stay up with whatever threads the error killed. A JVM with exactly
 * server/jvm.options runs {@link Exhaust}, which fills the heap and would carry on after the error.
 */
class OutOfMemoryExitTest {

  private static final String SURVIVED = "carried on after an OutOfMemoryError";

  @Test
  void aJvmWithTheShippedOptionsExitsWhenItRunsOutOfHeap() throws Exception {
    Exit exit = exhaust(List.of());
    assertThat(exit.code()).as(exit.output()).isNotZero();
    assertThat(exit.output()).contains("Terminating due to java.lang.OutOfMemoryError").doesNotContain(SURVIVED);
  }

  /** The same JVM with the option turned off after the file: what the test above tells apart. */
  @Test
  void withoutExitOnOutOfMemoryErrorTheSameJvmCarriesOn() throws Exception {
    Exit exit = exhaust(List.of("-XX:-ExitOnOutOfMemoryError"));
    assertThat(exit.code()).as(exit.output()).isZero();
    assertThat(exit.output()).contains(SURVIVED).doesNotContain("Terminating due to");
  }

  private record Exit(int code, String output) {
  }

  /** Runs {@link Exhaust} in a JVM started with server/jvm.options, then {@code moreOptions}. */
  private static Exit exhaust(List<String> moreOptions) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "@" + ServerProcess.SHIPPED_JVM_OPTIONS));
    command.addAll(moreOptions);
    Path classes = Path.of(Exhaust.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    command.addAll(List.of("-cp", classes.toString(), Exhaust.class.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    // Filling 128 MiB takes well under a second; the deadline covers a loaded machine.
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the JVM was still running 30 s after it started filling its heap");
    }
    return new Exit(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** Holds 1 MiB arrays until the heap is full; on the error lets them go, says so and returns normally. */
  static final class Exhaust {
    public static void main(String[] args) {
      List<byte[]> held = new ArrayList<>();
      try {
        while (true) {
          held.add(new byte[1 << 20]);
        }
      } catch (OutOfMemoryError e) {
        int mebibytes = held.size();
        held = null;
        System.out.println(SURVIVED + " (" + mebibytes + " MiB held)");
      }
    }
  }
}
