package dev.ferry.client;

/**
 * A failure the user is told about in plain words: a message key of the {@code messages}
 * bundle with its arguments, and the exit code it ends a one-shot command with.
 */
public abstract class FerryException extends Exception {

  private final String key;
  private final transient Object[] args;

  protected FerryException(String key, Object[] args, Throwable cause) {
    super(key, cause);
    this.key = key;
    this.args = args.clone();
  }

  public String key() {
    return key;
  }

  public Object[] args() {
    return args.clone();
  }

  /** See {@link ExitCode}. */
  public abstract int exitCode();

  /** The message shown to the user. */
  public String describe(Messages messages) {
    return messages.get(key, args);
  }
}
