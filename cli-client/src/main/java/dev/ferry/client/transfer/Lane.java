package dev.ferry.client.transfer;

import dev.ferry.client.command.RemoteSession;

/**
 * One connection of a running {@code get} or {@code put}, with what a file needs on it: its own
 * progress (a line of the display) and reconnector. Used by one thread at a time. The first
 * lane is the session's own connection; the others are connections beside it
 * ({@link RemoteSession#beside}).
 */
final class Lane {

  private final RemoteSession session;
  private final Progress progress;
  private final Cancellation cancellation;
  private final Reconnector reconnector;
  private final LocalChecksums checksums;

  Lane(RemoteSession session, Progress progress, Cancellation cancellation, Reconnector reconnector, LocalChecksums checksums) {
    this.session = session;
    this.progress = progress;
    this.cancellation = cancellation;
    this.reconnector = reconnector;
    this.checksums = checksums;
  }

  RemoteSession session() {
    return session;
  }

  Reconnector reconnector() {
    return reconnector;
  }

  Progress progress() {
    return progress;
  }

  Download download() {
    return new Download(session, progress, cancellation, reconnector);
  }

  Upload upload() {
    return new Upload(session, progress, cancellation, reconnector, checksums);
  }
}
