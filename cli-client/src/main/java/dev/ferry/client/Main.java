package dev.ferry.client;

/** The {@code ferry} command. All of its behaviour is in {@link FerryCli}, which tests run in-process. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    System.exit(new FerryCli(System.getenv(), System.in, System.out, System.err).run(args));
  }
}
