package dev.ferry.sftp.fs;

import dev.ferry.protocol.VirtualPath;
import dev.ferry.protocol.bus.TransferApi;
import dev.ferry.sftp.ServiceCalls;
import dev.ferry.sftp.SftpOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * A file open for writing: storage's upload of unknown size ({@link TransferApi#OPEN_WRITE}
 * without a size), published in one atomic rename when the handle is closed. Storage reserves
 * the quota as the bytes arrive and checks nothing else is needed from the door.
 *
 * <p>Opened without truncation on a file that exists (SFTP's append, OpenSSH's {@code reput}),
 * the upload starts with the file's current bytes, copied storage to storage, so the client
 * goes on writing at its end and readers see the old file until the new one is published.
 * Writes must come in order (SFTP clients send them so); bytes are gathered into
 * {@link SftpOptions#WRITE_CHUNK_BYTES} writes with at most {@link SftpOptions#WRITES_IN_FLIGHT}
 * unanswered, and a failure (quota exceeded, say) is reported on the next write or the close.
 */
final class UploadChannel implements SeekableByteChannel {

  private final ServiceCalls calls;
  private final TransferMemory memory;
  private final String path;
  private final String node;
  private final String handle;
  private final Deque<Future<Object>> inFlight = new ArrayDeque<>();
  private Buffer pending = Buffer.buffer();
  /** Bytes sent to storage. */
  private long sent;
  /** Bytes handed to storage (sent or pending): the only offset the next write may start at. */
  private long end;
  private long position;
  private boolean open = true;
  /** Whether the chunk being gathered holds its {@link SftpOptions#WRITE_CHUNK_BYTES} of transfer memory. */
  private boolean gathering;
  private IOException failed;

  private UploadChannel(ServiceCalls calls, TransferMemory memory, String path, String node, String handle) {
    this.calls = calls;
    this.memory = memory;
    this.path = path;
    this.node = node;
    this.handle = handle;
  }

  static SeekableByteChannel open(FerryPath file, Set<? extends OpenOption> options) throws IOException {
    FerryFileSystem fs = file.getFileSystem();
    String virtual = fs.virtual(file);
    StoredEntry existing = null;
    if (!options.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
      try {
        existing = ((FerryFileSystemProvider) fs.provider()).stat(file);
      } catch (NoSuchFileException absent) {
        existing = null;
      }
      if (existing != null && options.contains(StandardOpenOption.CREATE_NEW)) {
        throw new java.nio.file.FileAlreadyExistsException(file.toString());
      }
    }
    JsonObject request = new JsonObject().put(TransferApi.DIR, VirtualPath.parent(virtual)).put(TransferApi.NAME, VirtualPath.name(virtual))
      .put(TransferApi.SHA256, "").put(TransferApi.OVERWRITE, true).put(TransferApi.RESUME, false);
    JsonObject opened = fs.calls().storage(TransferApi.OPEN_WRITE, request, file.toString());
    UploadChannel channel = new UploadChannel(fs.calls(), fs.memory(), file.toString(), opened.getString(TransferApi.NODE),
      opened.getString(TransferApi.HANDLE));
    try {
      fs.memory().acquire(SftpOptions.WRITE_CHUNK_BYTES, file.toString());
    } catch (IOException e) {
      channel.abandon();
      throw e;
    }
    channel.gathering = true;
    if (existing != null && !existing.isDirectory() && existing.size() > 0) {
      try {
        channel.copyFrom(fs, virtual, existing.size());
      } catch (IOException e) {
        channel.abandon();
        throw e;
      }
    }
    if (options.contains(StandardOpenOption.APPEND)) {
      channel.position = channel.end;
    }
    return channel;
  }

  /** Puts the file's current bytes first: read from storage, written back into this upload. */
  private void copyFrom(FerryFileSystem fs, String virtual, long size) throws IOException {
    JsonObject reading = fs.calls().storage(TransferApi.OPEN_READ, new JsonObject().put(TransferApi.PATH, virtual), path);
    String readNode = reading.getString(TransferApi.NODE);
    String readHandle = reading.getString(TransferApi.HANDLE);
    try {
      long copied = 0;
      while (copied < size) {
        int length = (int) Math.min(SftpOptions.WRITE_CHUNK_BYTES, size - copied);
        Buffer bytes = calls.node(readNode, readHandle, TransferApi.READ, null, path, TransferApi.OFFSET, copied, TransferApi.LENGTH, length);
        if (bytes.length() == 0) {
          break;
        }
        end += bytes.length();
        send(bytes);
        copied += bytes.length();
      }
    } finally {
      calls.node(readNode, readHandle, TransferApi.CLOSE, null, path);
    }
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    if (failed != null) {
      throw failed;
    }
    if (position != end) {
      throw new FileSystemException(path, null, "writes must follow each other: expected offset " + end + ", got " + position);
    }
    int n = src.remaining();
    byte[] bytes = new byte[n];
    src.get(bytes);
    pending.appendBytes(bytes);
    end += n;
    position += n;
    if (pending.length() >= SftpOptions.WRITE_CHUNK_BYTES) {
      // Cleared once sent: a send interrupted leaves the bytes for the next write or the close.
      send(pending);
      pending = Buffer.buffer();
    }
    return n;
  }

  /**
   * Sends the next chunk, after waiting for the oldest write when the window is full. Interrupted
   * while it waits, it changes nothing, and may be called again with the same chunk.
   */
  private void send(Buffer chunk) throws IOException {
    while (inFlight.size() >= SftpOptions.WRITES_IN_FLIGHT) {
      awaitOldest();
    }
    int held = chunk.length();
    memory.acquire(held, path);
    long offset = sent;
    sent += chunk.length();
    Future<Object> written;
    try {
      written = calls.nodeAsync(node, handle, TransferApi.WRITE, chunk, TransferApi.OFFSET, offset, TransferApi.SYNC, false);
    } catch (IOException | RuntimeException e) {
      memory.release(held);
      throw e;
    }
    inFlight.addLast(written.andThen(done -> memory.release(held)));
  }

  /** Waits for the oldest write; interrupted, it leaves that write in flight and the upload as it was. */
  private void awaitOldest() throws IOException {
    try {
      ServiceCalls.await(inFlight.getFirst(), path);
      inFlight.removeFirst();
    } catch (InterruptedIOException e) {
      throw e;
    } catch (IOException e) {
      inFlight.removeFirst();
      if (failed == null) {
        failed = e;
      }
      throw e;
    }
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return end;
  }

  @Override
  public int read(ByteBuffer dst) {
    throw new NonReadableChannelException();
  }

  @Override
  public SeekableByteChannel truncate(long size) throws IOException {
    if (size != end) {
      throw new UnsupportedOperationException("an upload cannot be truncated");
    }
    return this;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /**
   * Sends what is left and publishes the upload, even when the client went away without closing
   * it: what arrived becomes the file, so {@code reput} can go on from its size.
   */
  @Override
  public void close() throws IOException {
    if (!open) {
      return;
    }
    open = false;
    // SSHD interrupts the SFTP thread of a channel that went away before it closes the handles
    // left open: the close runs to its end regardless, each wait bounded by its request.
    boolean interrupted = Thread.interrupted();
    try {
      while (failed == null && pending.length() > 0) {
        try {
          send(pending);
          pending = Buffer.buffer();
        } catch (InterruptedIOException e) {
          interrupted |= Thread.interrupted();
        } catch (IOException e) {
          failed = failed == null ? e : failed;
        }
      }
      while (!inFlight.isEmpty()) {
        try {
          awaitOldest();
        } catch (InterruptedIOException e) {
          interrupted |= Thread.interrupted();
        } catch (IOException e) {
          // kept in failed by awaitOldest
        }
      }
      if (failed != null) {
        throw failed;
      }
      calls.nodeToTheEnd(node, handle, TransferApi.FINISH, path);
    } finally {
      releaseGathering();
      if (failed != null) {
        calls.nodeToTheEnd(node, handle, TransferApi.CLOSE, path);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void releaseGathering() {
    if (gathering) {
      gathering = false;
      memory.release(SftpOptions.WRITE_CHUNK_BYTES);
    }
  }

  /** Ends the upload without publishing it (its partial data stays for storage to expire). */
  private void abandon() {
    open = false;
    releaseGathering();
    try {
      calls.nodeToTheEnd(node, handle, TransferApi.CLOSE, path);
    } catch (IOException e) {
      // the handle times out on its node anyway
    }
  }
}
