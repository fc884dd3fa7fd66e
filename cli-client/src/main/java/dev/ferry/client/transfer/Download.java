package dev.ferry.client.transfer;

import dev.ferry.client.FerryException;
import dev.ferry.client.RefusedException;
import dev.ferry.client.command.RemoteSession;
import dev.ferry.client.net.Connection;
import dev.ferry.client.net.ProtocolException;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Payloads;
import dev.ferry.protocol.Replies;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file from the server, PROTOCOL.md section 4:
 * <pre>
 * C download &lt;path&gt;                 S download &lt;size&gt;*&lt;sha256&gt;   (or file_not_exists / 没有访问权限!)
 * C download_RES READY*&lt;offset&gt;      offset = bytes of LOCAL.part already here
 * S download_ing &lt;offset&gt; + payload  C download_RES READY*&lt;total received&gt;   (after every chunk)
 * S download SUCCESS
 * </pre>
 * Bytes go to {@code LOCAL.part} ({@link PartFile}), written by a {@link PartWriter} while the
 * next chunks arrive; the SHA-256 covers the prefix that was already there and every chunk
 * received; only a match renames the file to {@code LOCAL}.
 * Acknowledging each chunk (at most the server's max payload, 1 MiB by default) keeps far
 * inside the rule "at least every half window" whatever window the server has.
 * An {@code ABORTED*<n>} the client did not ask for, or {@code ERROR}, is the server failing
 * (its storage node gone): a {@link ServerFailureException}, which the reconnector tries again.
 */
public final class Download {

  private static final Pattern SIZE_AND_SHA = Pattern.compile("(\\d{1,18})\\*([0-9a-fA-F]{64})");
  private static final Pattern ABORTED = Pattern.compile(Pattern.quote(Replies.ABORTED) + "(\\*\\d+)?");

  private final RemoteSession session;
  private final Progress progress;
  private final Cancellation cancellation;
  private final Reconnector reconnector;

  public Download(RemoteSession session, Progress progress, Cancellation cancellation, Reconnector reconnector) {
    this.session = session;
    this.progress = progress;
    this.cancellation = cancellation;
    this.reconnector = reconnector;
  }

  /**
   * Downloads {@code remote} (an absolute path) to {@code local}, resuming its {@code .part},
   * over new connections as often as the connection is lost (see {@link Reconnector}).
   *
   * @param name the file as the user sees it, for progress and messages
   * @return the file's size
   * @throws RefusedException with {@code file_not_exists} for a missing path or a directory
   */
  public long file(String remote, Path local, String name) throws FerryException {
    PartFile part = new PartFile(local);
    return reconnector.run(name, part::length, () -> attempt(remote, part, name));
  }

  /** Where the server is in this download: still streaming (waiting for READY, or sending chunks) or done with it. */
  private static final class ServerSide {
    private final Connection connection;
    private boolean streaming = true;
    private long acknowledged;

    ServerSide(Connection connection) {
      this.connection = connection;
    }

    /**
     * "NOT_READY*<n> [...] the server stops, answers ABORTED*<next offset>, and the client
     * discards chunks until it reads that answer." Keeps the connection in step for the next
     * command; also the way to stop the server when a local file fails.
     */
    void stop() throws IOException, RefusedException {
      if (streaming) {
        connection.send(Command.DOWNLOAD_RES.wire(), Replies.join(Replies.NOT_READY, acknowledged), null);
        streaming = false;
        awaitAborted(connection);
      }
    }
  }

  private long attempt(String remote, PartFile part, String name) throws IOException, FerryException {
    Connection connection = session.connection();
    String reply = connection.request(Command.DOWNLOAD.wire(), remote);
    Matcher answer = SIZE_AND_SHA.matcher(reply);
    if (reply.equals(ServerFailureException.ERROR)) {
      // The open went to a storage node that had just died, say: another try may reach a live one.
      throw new ServerFailureException(reply);
    }
    if (!answer.matches()) {
      throw new RefusedException(reply);
    }
    long size = Long.parseLong(answer.group(1));
    String expected = answer.group(2).toLowerCase(Locale.ROOT);
    ServerSide server = new ServerSide(connection);
    try {
      receiveInto(part, server, size, expected, name);
    } catch (TransferException | TransferInterruptedException e) {
      // A local failure (disk full, no such directory) or Ctrl-C while the prefix was hashed:
      // the server must not go on streaming.
      try {
        server.stop();
      } catch (IOException | RefusedException stopping) {
        e.addSuppressed(stopping);
      }
      throw e;
    }
    try {
      part.publish();
    } catch (IOException e) {
      throw LocalFiles.failure(e, part.target());
    }
    return size;
  }

  /** From READY to a verified {@code .part}. */
  private void receiveInto(PartFile part, ServerSide server, long size, String expected, String name)
    throws IOException, FerryException {
    Path file = part.path();
    MessageDigest digest = Sha256.newDigest();
    try (FileChannel channel = open(part, size); PartWriter writer = new PartWriter(channel, file, digest)) {
      long have = channel.size();
      if (have > 0) {
        // Resuming: the checksum covers the whole file, so the prefix already here counts too.
        Sha256.update(digest, channel, file, have, name, progress, cancellation);
      }
      server.acknowledged = have;
      if (cancellation.requested()) {
        // "NOT_READY*<n> instead of the first READY cancels; the server answers ABORTED*<n>."
        server.stop();
        throw new TransferInterruptedException(name);
      }
      server.connection.send(Command.DOWNLOAD_RES.wire(), Replies.join(Replies.READY, have), null);
      progress.begin(name, Progress.Phase.TRANSFER, size, have);
      boolean completed = false;
      try {
        receive(server, writer, channel, file, size, name);
        force(channel, file);
        String actual = Sha256.hex(digest.digest());
        if (!actual.equals(expected)) {
          delete(part);
          throw new TransferException("get.checksum-mismatch", part.target(), expected, actual);
        }
        completed = true;
      } finally {
        progress.end(completed);
      }
    }
  }

  /**
   * Chunks until {@code SUCCESS}, each handed to the writer (which hashes it) and acknowledged;
   * returns once all are hashed and written. An acknowledgement may come before its bytes are on disk: after a
   * crash the {@code .part} is only shorter, and the download resumes from what it holds.
   */
  private void receive(ServerSide server, PartWriter writer, FileChannel channel, Path file, long size, String name)
    throws IOException, FerryException {
    Connection connection = server.connection;
    // One array per chunk the writer may hold, and one being received.
    ChunkArrays arrays = new ChunkArrays(PartWriter.DEPTH + 1);
    while (true) {
      Frame frame = connection.receive(arrays::take);
      Header header = frame.header();
      String cmd = header.cmd();
      long received = server.acknowledged;
      if (cmd.equals(Command.DOWNLOAD_ING.wire())) {
        long offset = offset(header.data());
        ByteBuffer bytes = Payloads.view(frame.payload());
        int length = bytes.remaining();
        if (offset != received || received + length > size) {
          throw new ProtocolException("a chunk at " + offset + " of " + length + " bytes, expected one at " + received
            + " within " + size);
        }
        writer.write(bytes, () -> arrays.give(bytes.array()));
        received += length;
        connection.send(Command.DOWNLOAD_RES.wire(), Replies.join(Replies.READY, received), null);
        server.acknowledged = received;
        progress.update(received);
        // Once everything arrived the server's SUCCESS is already on its way: nothing to cancel.
        if (cancellation.requested() && received < size) {
          server.stop();
          writer.drain();
          force(channel, file);
          throw new TransferInterruptedException(name);
        }
      } else if (cmd.equals(Command.DOWNLOAD.wire())) {
        server.streaming = false;
        String data = header.data();
        if (ABORTED.matcher(data).matches() || data.equals(ServerFailureException.ERROR)) {
          // An ABORTED this loop did not ask for (a NOT_READY is only sent by ServerSide.stop, which
          // reads its answer itself): the server could not read on, its storage node gone. The
          // connection is in step and the .part holds every chunk received: another try resumes.
          writer.drain();
          throw new ServerFailureException(Command.DOWNLOAD.wire() + " " + data);
        }
        if (!data.equals(Replies.SUCCESS)) {
          // BAD_OFFSET (our offset passed the size: never sent): the .part stays for a later try.
          throw new RefusedException(data);
        }
        if (received != size) {
          throw new ProtocolException("SUCCESS after " + received + " of " + size + " bytes");
        }
        writer.drain();
        return;
      } else {
        throw new ProtocolException("unexpected " + header + " during a download");
      }
    }
  }

  private static void awaitAborted(Connection connection) throws IOException, RefusedException {
    while (true) {
      Header header = connection.receive().header();
      if (header.cmd().equals(Command.DOWNLOAD_ING.wire())) {
        continue;
      }
      if (header.cmd().equals(Command.DOWNLOAD.wire()) && ABORTED.matcher(header.data()).matches()) {
        return;
      }
      if (header.cmd().equals(Command.DOWNLOAD.wire())) {
        throw new RefusedException(header.data());
      }
      throw new ProtocolException("unexpected " + header + " while cancelling a download");
    }
  }

  private static FileChannel open(PartFile part, long size) throws TransferException {
    try {
      return part.openForResume(size);
    } catch (IOException e) {
      throw LocalFiles.failure(e, part.path());
    }
  }

  private static void force(FileChannel channel, Path file) throws TransferException {
    try {
      channel.force(true);
    } catch (IOException e) {
      throw LocalFiles.failure(e, file);
    }
  }

  private static void delete(PartFile part) throws TransferException {
    try {
      part.delete();
    } catch (IOException e) {
      throw LocalFiles.failure(e, part.path());
    }
  }

  private static long offset(String data) throws ProtocolException {
    try {
      return Long.parseLong(data);
    } catch (NumberFormatException e) {
      throw new ProtocolException("a chunk offset that is not a number: " + data);
    }
  }
}
