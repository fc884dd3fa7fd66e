package dev.ferry.client.transfer;

import dev.ferry.client.FerryException;
import dev.ferry.client.RefusedException;
import dev.ferry.client.command.QuotaUsage;
import dev.ferry.client.command.RemoteSession;
import dev.ferry.client.net.Connection;
import dev.ferry.client.net.ProtocolException;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import dev.ferry.protocol.VirtualPath;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file to the server, PROTOCOL.md section 5:
 * <pre>
 * C upload &lt;dir&gt;*&lt;name&gt;*&lt;size&gt;*&lt;sha256&gt;[*overwrite]     (or LATER for the sha256)
 * S upload READY*&lt;offset&gt;          (or FILE_ALREADY_EXISTS / NOT_READY*&lt;reason&gt;)
 * C uploading &lt;offset&gt; + payload   (repeated, at most one window not yet acknowledged)
 * S uploading ACK*&lt;stored&gt;          (as data is stored)
 * C uploading SHA256*&lt;sha256&gt;       (after the chunks, when LATER)
 * S uploading SUCCESS*&lt;sha256&gt;      (or FAILE*&lt;stored&gt;*&lt;reason&gt;)
 * </pre>
 * The server checks the SHA-256 over the whole file, resumed prefix included. It is known
 * before the upload when {@link LocalChecksums} has it from an earlier read of the unchanged
 * file, or has finished hashing it ahead; while that hash is still under way the upload says
 * {@code LATER} and sends the chunks beside it, and the checksum after them (a server without
 * that extension answers {@code BAD_ARGUMENTS}, and gets the checksum first). Otherwise (a small
 * file, nothing hashed ahead) it is computed first, as a phase of the progress. A resumed upload
 * starts at the server's {@code READY} offset.
 */
public final class Upload {

  /** Bytes per chunk: the protocol's default max payload, which every server accepts. */
  public static final int CHUNK = Frame.DEFAULT_MAX_PAYLOAD;
  /** Bytes sent but not yet acknowledged, at most: the server's default window. */
  public static final long WINDOW = 8L << 20;

  private static final Pattern READY = Pattern.compile(Pattern.quote(Replies.READY) + "\\*(\\d{1,18})");
  private static final Pattern ACK = Pattern.compile(Pattern.quote(Replies.ACK) + "\\*(\\d{1,18})");
  private static final String OVERWRITE = "overwrite";
  /** The answers of an upload whose checksum was not the file's. */
  private static final Set<String> MISMATCHES = Set.of("put.failed-checksum", "put.checksum-mismatch");

  private final RemoteSession session;
  private final Progress progress;
  private final Cancellation cancellation;
  private final Reconnector reconnector;
  private final LocalChecksums checksums;

  public Upload(RemoteSession session, Progress progress, Cancellation cancellation, Reconnector reconnector,
                LocalChecksums checksums) {
    this.session = session;
    this.progress = progress;
    this.cancellation = cancellation;
    this.reconnector = reconnector;
    this.checksums = checksums;
  }

  /**
   * What one upload sends: the file, where it goes, and what it is; {@code sha256} is "" while
   * {@code ahead} (else null) is hashing the file.
   */
  private record Plan(Path local, String dir, String remoteName, long size, String sha256, boolean overwrite, String name,
                      LocalChecksums.Ahead ahead) {
  }

  /**
   * Uploads {@code local} as {@code dir/remoteName}, over new connections as often as the
   * connection is lost (see {@link Reconnector}).
   *
   * @param dir  the remote directory, absolute
   * @param name the file as the user sees it, for progress and messages
   * @return the file's size
   */
  public long file(Path local, String dir, String remoteName, boolean overwrite, String name) throws FerryException {
    FileChannel channel = LocalFiles.openForReading(local);
    try {
      long size = channel.size();
      Optional<String> known = checksums.lookup(local);
      LocalChecksums.Ahead ahead = known.isPresent() ? null : checksums.ahead(local).orElse(null);
      String sha256 = known.isPresent() ? known.get() : ahead != null ? "" : hash(local, channel, size, name);
      Plan plan = new Plan(local, dir, remoteName, size, sha256, overwrite, name, ahead);
      try {
        return send(plan, channel);
      } catch (TransferException e) {
        if (known.isEmpty() && ahead == null || !MISMATCHES.contains(e.key())) {
          throw e;
        }
        // The file changed in a way its times did not show, or while it was hashed ahead (or
        // the server went on from a partial of other bytes, which it has dropped): hash it anew
        // and send it again.
        checksums.forget(local);
        return send(new Plan(local, dir, remoteName, size, hash(local, channel, size, name), overwrite, name, null), channel);
      }
    } catch (IOException e) {
      throw LocalFiles.failure(e, local);
    } finally {
      try {
        channel.close();
      } catch (IOException e) {
        // read only: nothing was lost
      }
    }
  }

  private long send(Plan plan, FileChannel channel) throws FerryException {
    AtomicLong stored = new AtomicLong();
    AtomicInteger tries = new AtomicInteger();
    return reconnector.run(plan.name(), stored::get, () -> attempt(plan, channel, stored, tries.getAndIncrement() > 0));
  }

  /** The file's SHA-256, read from {@code channel} as a phase of the progress, and remembered. */
  private String hash(Path local, FileChannel channel, long size, String name) throws FerryException {
    LocalChecksums.Taken before = checksums.take(local);
    MessageDigest digest = Sha256.newDigest();
    Sha256.update(digest, channel, local, size, name, progress, cancellation);
    String sha256 = Sha256.hex(digest.digest());
    checksums.remember(local, before, sha256);
    return sha256;
  }

  private long attempt(Plan plan, FileChannel channel, AtomicLong stored, boolean retry) throws IOException, FerryException {
    Connection connection = session.connection();
    String sha256 = plan.ahead() == null ? plan.sha256() : hashedAlready(plan.ahead());
    String reply = connection.request(Command.UPLOAD.wire(), uploadData(plan, sha256.isEmpty() ? Replies.LATER : sha256));
    if (sha256.isEmpty() && reply.equals(Replies.BAD_ARGUMENTS)) {
      // A server without the LATER extension: the checksum first, as the protocol's base form has it.
      Optional<String> hashed = LocalChecksums.await(plan.ahead(), plan.size(), plan.name(), progress, cancellation);
      sha256 = hashed.isPresent() ? hashed.get() : hash(plan.local(), channel, plan.size(), plan.name());
      reply = connection.request(Command.UPLOAD.wire(), uploadData(plan, sha256));
    }
    if (reply.equals(Replies.FILE_ALREADY_EXISTS)) {
      throw new TransferException("put.exists");
    }
    String notReady = Replies.NOT_READY + Replies.SEP;
    if (reply.startsWith(notReady)) {
      String reason = reply.substring(notReady.length());
      if (retry && reason.equals(Replies.BUSY)) {
        // The server may not yet have seen that the lost connection is gone: wait and try again.
        throw new IOException("the upload of the lost connection is still open on the server");
      }
      throw UploadAnswers.notReady(reason, plan.size(), plan.dir(), charge(plan));
    }
    if (reply.equals(ServerFailureException.ERROR)) {
      // The open went to a storage node that had just died, say: another try may reach a live one.
      throw new ServerFailureException(reply);
    }
    Matcher ready = READY.matcher(reply);
    if (!ready.matches()) {
      throw new RefusedException(reply);
    }
    long offset = Long.parseLong(ready.group(1));
    if (offset > plan.size()) {
      throw new ProtocolException("READY at " + offset + " for a file of " + plan.size() + " bytes");
    }
    stored.set(offset);
    progress.begin(plan.name(), Progress.Phase.TRANSFER, plan.size(), offset);
    boolean completed = false;
    ServerSide server = new ServerSide(connection, stored, charge(plan));
    try {
      send(server, plan, channel, offset);
      if (sha256.isEmpty()) {
        try {
          sha256 = awaitHash(plan, server);
        } catch (TransferInterruptedException e) {
          server.abort();
          throw e;
        }
        connection.send(Command.UPLOADING.wire(), Replies.join(Replies.SHA256, sha256), null);
      }
      awaitSuccess(server, plan, sha256);
      completed = true;
    } catch (TransferException e) {
      // The local file failed (shrank, unreadable): stop the server's side too, keeping the
      // connection in step; what was stored stays for a resume.
      try {
        server.abort();
      } catch (IOException aborting) {
        e.addSuppressed(aborting);
      }
      throw e;
    } finally {
      progress.end(completed);
    }
    return plan.size();
  }

  private static String uploadData(Plan plan, String checksum) {
    String data = Replies.join(plan.dir(), plan.remoteName(), plan.size(), checksum);
    return plan.overwrite() ? Replies.join(data, OVERWRITE) : data;
  }

  /** The SHA-256 hashed ahead if that is done, else "" (it comes after the chunks). */
  private static String hashedAlready(LocalChecksums.Ahead ahead) {
    CompletableFuture<String> sha256 = ahead.sha256();
    return sha256.isDone() && !sha256.isCompletedExceptionally() ? sha256.join() : "";
  }

  /**
   * After the chunks: waits for the SHA-256 hashed ahead, meanwhile taking in the
   * acknowledgements of {@code server}; a file that could not be read fails the upload.
   */
  private String awaitHash(Plan plan, ServerSide server) throws IOException, FerryException {
    while (true) {
      if (cancellation.requested()) {
        throw new TransferInterruptedException(plan.name());
      }
      while (server.connection.hasInput()) {
        server.acknowledged(server.connection.receive().header(), plan.size());
      }
      try {
        return plan.ahead().sha256().get(20, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // still hashing: look at the cancellation again
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException failed) {
          throw LocalFiles.failure(failed, plan.local());
        }
        throw new IllegalStateException("hashing " + plan.local() + " failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransferInterruptedException(plan.name());
      }
    }
  }

  /** Where the server is in this upload: taking chunks, or done with it (SUCCESS or FAILE). */
  private final class ServerSide {
    private final Connection connection;
    private final AtomicLong stored;
    private final UploadAnswers.Charge charge;
    private boolean open = true;

    ServerSide(Connection connection, AtomicLong stored, UploadAnswers.Charge charge) {
      this.connection = connection;
      this.stored = stored;
      this.charge = charge;
    }

    /**
     * "{@code uploading ABORT} stops the upload; the server answers {@code FAILE*<stored>*ABORTED}
     * and keeps the partial data for a later resume." Acknowledgements before it are skipped.
     */
    void abort() throws IOException {
      if (!open) {
        return;
      }
      open = false;
      connection.send(Command.UPLOADING.wire(), Replies.ABORT, null);
      while (true) {
        Header header = connection.receive().header();
        if (!header.cmd().equals(Command.UPLOADING.wire())) {
          throw new ProtocolException("unexpected " + header + " while aborting an upload");
        }
        if (header.data().startsWith(Replies.FAILE + Replies.SEP)) {
          return;
        }
      }
    }

    /** Takes in an {@code ACK*<stored>}; a {@code FAILE} ends the upload, anything else breaks the protocol. */
    void acknowledged(Header header, long size) throws ProtocolException, TransferException, ServerFailureException {
      if (!header.cmd().equals(Command.UPLOADING.wire())) {
        throw new ProtocolException("unexpected " + header + " during an upload");
      }
      if (header.data().startsWith(Replies.FAILE + Replies.SEP)) {
        open = false;
        if (UploadAnswers.serverFailed(header.data())) {
          // Storage failed (its node gone): the partial data stays, and another try resumes it.
          throw new ServerFailureException(Command.UPLOADING.wire() + " " + header.data());
        }
        throw UploadAnswers.failed(header.data(), charge);
      }
      Matcher ack = ACK.matcher(header.data());
      if (!ack.matches()) {
        throw new ProtocolException("unexpected " + header + " during an upload");
      }
      long n = Long.parseLong(ack.group(1));
      if (n < stored.get() || n > size) {
        throw new ProtocolException("ACK*" + n + " after " + stored.get() + " of " + size + " bytes");
      }
      stored.set(n);
      progress.update(n);
    }
  }

  /**
   * Whose quota the upload counts against: the owner of its target (PROTOCOL.md section 6), as
   * the server reckons it ({@link VirtualPath#ownerOf}). Its usage is asked on the upload's own
   * connection, which is in step again once the upload's last answer has been read.
   */
  private UploadAnswers.Charge charge(Plan plan) {
    String owner = VirtualPath.ownerOf(RemotePaths.join(plan.dir(), plan.remoteName())).orElse("");
    boolean own = owner.isEmpty() || owner.equals(session.account());
    // "quota" takes "" for the session's own account; another's is for an admin only.
    String asked = own ? "" : owner;
    return new UploadAnswers.Charge(own ? null : owner, () -> usageOf(asked));
  }

  private Optional<QuotaUsage> usageOf(String account) {
    try {
      return Optional.of(session.quota(account));
    } catch (FerryException e) {
      // Refused, or the connection failed: the message goes without the numbers, and a lost
      // connection shows at the next command. Never an IOException here: that would make the
      // reconnector send the upload again.
      return Optional.empty();
    }
  }

  /** Chunks from {@code offset} to the end, never more than {@link #WINDOW} ahead of the acknowledgements. */
  private void send(ServerSide server, Plan plan, FileChannel channel, long offset) throws IOException, FerryException {
    Connection connection = server.connection;
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    long sent = offset;
    while (sent < plan.size()) {
      if (cancellation.requested()) {
        server.abort();
        throw new TransferInterruptedException(plan.name());
      }
      int length = (int) Math.min(CHUNK, plan.size() - sent);
      // Read answers when the window is full, and whenever some are already here.
      while (sent + length - server.stored.get() > WINDOW || connection.hasInput()) {
        server.acknowledged(connection.receive().header(), plan.size());
      }
      buffer.clear().limit(length);
      LocalFiles.readFully(channel, buffer, sent, plan.local());
      connection.sendChunk(Command.UPLOADING.wire(), Long.toString(sent), buffer.flip());
      sent += length;
    }
  }

  /** After the last chunk: acknowledgements, then {@code SUCCESS*<sha256>} or {@code FAILE}. */
  private void awaitSuccess(ServerSide server, Plan plan, String sha256) throws IOException, FerryException {
    String success = Replies.SUCCESS + Replies.SEP;
    while (true) {
      Header header = server.connection.receive().header();
      if (header.cmd().equals(Command.UPLOADING.wire()) && header.data().startsWith(success)) {
        server.open = false;
        String reported = header.data().substring(success.length()).toLowerCase(Locale.ROOT);
        if (!reported.equals(sha256)) {
          throw new TransferException("put.checksum-mismatch", sha256, reported);
        }
        server.stored.set(plan.size());
        progress.update(plan.size());
        return;
      }
      server.acknowledged(header, plan.size());
    }
  }
}
