package dev.ferry.sftp.fs;

import dev.ferry.protocol.bus.TransferApi;
import dev.ferry.sftp.ServiceCalls;
import dev.ferry.sftp.SftpOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A file open for reading: storage's read handle (the file as it was at open), read at any
 * offset. Reads fetch up to {@link SftpOptions#READ_AHEAD_BYTES} at a time and serve the
 * client's small sequential requests from that, so a download costs a request per MiB, not per
 * SFTP packet.
 */
final class ReadChannel implements SeekableByteChannel {

  private final ServiceCalls calls;
  private final TransferMemory memory;
  private final String path;
  private final String node;
  private final String handle;
  private final long size;
  private long position;
  private Buffer block;
  private long blockStart;
  /** Bytes of transfer memory the block holds. */
  private int blockHeld;
  private boolean open = true;

  private ReadChannel(ServiceCalls calls, TransferMemory memory, String path, String node, String handle, long size) {
    this.calls = calls;
    this.memory = memory;
    this.path = path;
    this.node = node;
    this.handle = handle;
    this.size = size;
  }

  static ReadChannel open(FerryPath file) throws IOException {
    FerryFileSystem fs = file.getFileSystem();
    JsonObject opened = fs.calls().storage(TransferApi.OPEN_READ, new JsonObject().put(TransferApi.PATH, fs.virtual(file)),
      file.toString());
    return new ReadChannel(fs.calls(), fs.memory(), file.toString(), opened.getString(TransferApi.NODE), opened.getString(TransferApi.HANDLE),
      opened.getLong(TransferApi.SIZE));
  }

  /**
   * Fills {@code dst} as far as the file goes: some clients (libssh2) take a short read in the
   * middle of a file for an error, so a read that crosses a fetched block fetches the next.
   */
  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    if (position >= size) {
      return -1;
    }
    int total = 0;
    while (dst.hasRemaining() && position < size) {
      if (block == null || position < blockStart || position >= blockStart + block.length()) {
        int length = (int) Math.min(SftpOptions.READ_AHEAD_BYTES, size - position);
        dropBlock();
        memory.acquire(length, path);
        try {
          block = calls.node(node, handle, TransferApi.READ, null, path, TransferApi.OFFSET, position, TransferApi.LENGTH, length);
          blockHeld = length;
        } catch (IOException | RuntimeException e) {
          memory.release(length);
          throw e;
        }
        blockStart = position;
        if (block.length() == 0) {
          break;
        }
      }
      int from = (int) (position - blockStart);
      int n = Math.min(dst.remaining(), block.length() - from);
      dst.put(block.getBytes(from, from + n));
      position += n;
      total += n;
    }
    return total == 0 ? -1 : total;
  }

  private void dropBlock() {
    block = null;
    if (blockHeld > 0) {
      memory.release(blockHeld);
      blockHeld = 0;
    }
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
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
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    if (open) {
      open = false;
      dropBlock();
      calls.nodeToTheEnd(node, handle, TransferApi.CLOSE, path);
    }
  }
}
