package dev.ferry.client.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Blocking streams over an {@link SSLEngine} on a plain socket, so that the client can use the
 * OpenSSL engine (which exists only as an engine) with the socket's read timeout. Records are
 * batched: several are wrapped before one socket write, and unwrapped from one socket read.
 * Not thread-safe: one reader thread and one writer thread at most, as {@link Connection} uses it.
 */
final class TlsStreams {

  /** Ciphertext read or written per socket call, at most. */
  private static final int NET_BUFFER = 256 << 10;
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final SSLEngine engine;
  private final InputStream rawIn;
  private final OutputStream rawOut;
  private final int packetSize;
  /** Ciphertext received and not yet unwrapped (read mode). */
  private ByteBuffer netIn;
  /** Plaintext unwrapped and not yet read (read mode). */
  private ByteBuffer appIn;
  /** Ciphertext wrapped and not yet sent (write mode; only the writer and the handshake use it). */
  private final ByteBuffer netOut;
  private boolean inputClosed;

  private TlsStreams(Socket socket, SSLEngine engine) throws IOException {
    this.engine = engine;
    this.rawIn = socket.getInputStream();
    this.rawOut = socket.getOutputStream();
    this.packetSize = engine.getSession().getPacketBufferSize();
    int appSize = engine.getSession().getApplicationBufferSize();
    this.netIn = ByteBuffer.allocate(NET_BUFFER + packetSize).flip();
    this.appIn = ByteBuffer.allocate(4 * appSize).flip();
    this.netOut = ByteBuffer.allocate(NET_BUFFER + packetSize);
  }

  /** Completes the handshake of {@code engine}, in client mode, over {@code socket}. */
  static TlsStreams handshake(Socket socket, SSLEngine engine) throws IOException {
    TlsStreams streams = new TlsStreams(socket, engine);
    engine.beginHandshake();
    streams.finishHandshake(engine.getHandshakeStatus());
    return streams;
  }

  private void finishHandshake(HandshakeStatus status) throws IOException {
    while (true) {
      switch (status) {
        case NEED_WRAP -> {
          SSLEngineResult result = engine.wrap(EMPTY, netOut);
          if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            flushNetOut();
            throw new SSLException("the TLS handshake was closed");
          }
          flushNetOut();
          status = result.getHandshakeStatus();
        }
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> status = unwrapOnce(true);
        case NEED_TASK -> {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
          status = engine.getHandshakeStatus();
        }
        default -> {
          return;
        }
      }
    }
  }

  /**
   * Unwraps one record into {@link #appIn}, reading from the socket when no whole record is
   * here yet. Answers the handshake status after it; at the end of input, throws during the
   * handshake and marks the input closed after it.
   */
  private HandshakeStatus unwrapOnce(boolean handshaking) throws IOException {
    while (true) {
      appIn.compact();
      if (appIn.remaining() < engine.getSession().getApplicationBufferSize()) {
        ByteBuffer larger = ByteBuffer.allocate(appIn.position() + engine.getSession().getApplicationBufferSize());
        appIn.flip();
        larger.put(appIn);
        appIn = larger;
      }
      SSLEngineResult result;
      try {
        result = engine.unwrap(netIn, appIn);
      } finally {
        appIn.flip();
      }
      switch (result.getStatus()) {
        case OK -> {
          return result.getHandshakeStatus();
        }
        case CLOSED -> {
          inputClosed = true;
          if (handshaking) {
            throw new EOFException("the server closed the TLS connection during the handshake");
          }
          return result.getHandshakeStatus();
        }
        case BUFFER_UNDERFLOW -> {
          if (!readNet()) {
            if (handshaking) {
              throw new EOFException("the server closed the connection during the TLS handshake");
            }
            inputClosed = true;
            return HandshakeStatus.NOT_HANDSHAKING;
          }
        }
        default -> throw new SSLException("unexpected TLS unwrap result " + result);
      }
    }
  }

  /** Reads more ciphertext into {@link #netIn}; false at the end of the stream. */
  private boolean readNet() throws IOException {
    netIn.compact();
    if (!netIn.hasRemaining()) {
      ByteBuffer larger = ByteBuffer.allocate(netIn.capacity() + packetSize);
      netIn.flip();
      larger.put(netIn);
      netIn = larger;
    }
    int n;
    try {
      n = rawIn.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
    } finally {
      netIn.flip();
    }
    if (n < 0) {
      return false;
    }
    netIn.limit(netIn.limit() + n);
    return true;
  }

  private void flushNetOut() throws IOException {
    netOut.flip();
    if (netOut.hasRemaining()) {
      rawOut.write(netOut.array(), netOut.arrayOffset() + netOut.position(), netOut.remaining());
      rawOut.flush();
    }
    netOut.clear();
  }

  /**
   * Plaintext for the reader: unwraps until some is here, then goes on while whole records are
   * already received. False at the end of input.
   */
  private boolean fill() throws IOException {
    while (!appIn.hasRemaining()) {
      if (inputClosed) {
        return false;
      }
      HandshakeStatus status = unwrapOnce(false);
      if (status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED) {
        // A key update or renegotiation: answered at once, under the writer's lock.
        synchronized (netOut) {
          finishHandshake(status);
        }
      }
    }
    return true;
  }

  private int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, appIn.remaining());
    appIn.get(b, off, n);
    return n;
  }

  private void write(byte[] b, int off, int len) throws IOException {
    synchronized (netOut) {
      ByteBuffer src = ByteBuffer.wrap(b, off, len);
      while (src.hasRemaining()) {
        SSLEngineResult result = engine.wrap(src, netOut);
        switch (result.getStatus()) {
          case OK -> {
            if (netOut.remaining() < packetSize) {
              flushNetOut();
            }
          }
          case BUFFER_OVERFLOW -> flushNetOut();
          default -> throw new SSLException("the TLS connection is closed");
        }
      }
      flushNetOut();
    }
  }

  /**
   * Releases the engine; the caller closes the socket. No close_notify is sent: a write could
   * block on a server that stopped reading, and frames carry their own lengths, so an end
   * without it cannot truncate one unnoticed.
   */
  void close() {
    engine.closeOutbound();
    try {
      engine.closeInbound();
    } catch (SSLException e) {
      // Expected without the server's close_notify.
    }
  }

  InputStream in() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = TlsStreams.this.read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return TlsStreams.this.read(b, off, len);
      }

      /** Plaintext here, or 1 when ciphertext has arrived (a record that will decrypt soon). */
      @Override
      public int available() throws IOException {
        if (appIn.hasRemaining()) {
          return appIn.remaining();
        }
        return netIn.hasRemaining() || rawIn.available() > 0 ? 1 : 0;
      }
    };
  }

  OutputStream out() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        TlsStreams.this.write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        TlsStreams.this.write(b, off, len);
      }
    };
  }
}
