package dev.ferry.client.transfer;

/**
 * What the user sees of a transfer while it runs, one phase at a time: a bar on a terminal
 * ({@link BarProgress}), a plain line every few seconds otherwise ({@link PlainProgress}),
 * nothing with {@code --quiet} ({@link #QUIET}).
 */
public interface Progress {

  /** What a phase does to its bytes. */
  enum Phase {
    /** Computing the SHA-256 of a local file (before an upload, or of a partial download being resumed). */
    CHECKSUM,
    /** Moving bytes over the connection. */
    TRANSFER
  }

  /** Shows nothing. */
  Progress QUIET = new Progress() {
    @Override
    public void begin(String name, Phase phase, long total, long done) {
    }

    @Override
    public void update(long done) {
    }

    @Override
    public void end(boolean completed) {
    }
  };

  /**
   * A phase starts.
   *
   * @param name  the file, as the user named it
   * @param total bytes the phase covers
   * @param done  bytes already there when it starts (a resumed transfer); rates count only the rest
   */
  void begin(String name, Phase phase, long total, long done);

  /** Bytes done so far, out of the total given to {@link #begin}. */
  void update(long done);

  /**
   * The phase is over.
   *
   * @param completed whether it reached its total and succeeded; a failed or interrupted phase
   *                  leaves no summary (the error says what happened)
   */
  void end(boolean completed);
}
