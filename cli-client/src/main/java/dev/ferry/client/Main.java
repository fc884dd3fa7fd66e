package dev.ferry.client;

import dev.ferry.client.net.Connector;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/** The {@code ferry} command. All of its behaviour is in {@link FerryCli}, which tests run in-process. */
public final class Main {

  private Main() {
  }

  /** Arguments after which no TLS connection is made. */
  private static final Set<String> NO_TLS = Set.of("--no-tls", "-h", "--help", "-V", "--version");
  /** netty's switch for the Flight Recorder events of its buffer allocator. */
  private static final String NETTY_JFR = "io.netty.jfr.enabled";

  public static void main(String[] args) {
    // Merely asking whether netty's allocator events are on sets up Flight Recorder's event
    // machinery, about a tenth of a CPU-second of every command; a short-lived client needs none.
    if (System.getProperty(NETTY_JFR) == null) {
      System.setProperty(NETTY_JFR, "false");
    }
    if (Arrays.stream(args).noneMatch(NO_TLS::contains)) {
      Connector.warmUpInBackground();
    }
    // The JVM picks its output charset from the locale and falls back to ASCII when that locale
    // is not installed, which turns the protocol's Chinese answers into '?'. Terminals are UTF-8.
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(new FerryCli(System.getenv(), System.in, out, err).run(args));
  }
}
