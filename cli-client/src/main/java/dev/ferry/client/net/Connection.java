package dev.ferry.client.net;

import dev.ferry.protocol.BadFrameException;
import dev.ferry.protocol.Command;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.FrameReader;
import dev.ferry.protocol.Header;
import dev.ferry.protocol.Replies;
import io.vertx.core.buffer.Buffer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;
import javax.net.ssl.SSLEngine;

/**
 * One blocking connection to a Ferry server, speaking the frames of PROTOCOL.md section 1. A
 * command line tool waits for each answer anyway, so plain sockets fit better than an event loop.
 *
 * <p>{@link #request} is the one-frame-each-way exchange of every session and admin command.
 * {@link #send} and {@link #receive} are the frame-level seam the transfer commands build on.
 */
public final class Connection implements Closeable {

  public static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  /** How long to wait for any frame; a server answers every command, so silence means trouble. */
  public static final int READ_TIMEOUT_MILLIS = 120_000;
  /** The protocol version this client speaks: the greeting is {@code FERRY*1}. */
  public static final String PROTOCOL_VERSION = "1";

  /** Bytes of frame headers and small frames gathered into one write. */
  private static final int WRITE_BUFFER = 64 << 10;

  private final Socket socket;
  private final TlsStreams tls;
  private final BufferedInputStream in;
  private final FrameReader reader;
  private final OutputStream out;
  private String account = "";

  private Connection(Socket socket, TlsStreams tls) throws IOException {
    this.socket = socket;
    this.tls = tls;
    InputStream input = tls == null ? socket.getInputStream() : tls.in();
    OutputStream output = tls == null ? socket.getOutputStream() : tls.out();
    this.in = new BufferedInputStream(input, WRITE_BUFFER);
    this.reader = FrameReader.ofServer(in);
    this.out = new BufferedOutputStream(output, WRITE_BUFFER);
  }

  /**
   * Connects, completes the TLS handshake when {@code tls} is given (a client-mode engine for
   * this host and port), and reads the greeting. Nothing is sent before the handshake has
   * checked the server certificate.
   */
  static Connection open(String host, int port, SSLEngine tls) throws IOException {
    Socket raw = new Socket();
    try {
      raw.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      raw.setSoTimeout(READ_TIMEOUT_MILLIS);
      raw.setTcpNoDelay(true);
      TlsStreams streams = tls == null ? null : TlsStreams.handshake(raw, tls);
      Connection connection = new Connection(raw, streams);
      connection.expectGreeting();
      return connection;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /**
   * PROTOCOL.md section 1: on connect the server sends {@code {"cmd":"hello","data":"FERRY*1"}},
   * or, over one of its connection limits, an {@code error} frame {@code BUSY*<reason>}.
   */
  private void expectGreeting() throws IOException {
    Header hello = receive().header();
    refuseIfBusy(hello);
    String product = "FERRY" + Replies.SEP;
    if (!hello.cmd().equals(Command.HELLO.wire()) || !hello.data().startsWith(product)) {
      throw new ProtocolException("not a Ferry server: it greeted with " + hello);
    }
    String version = hello.data().substring(product.length());
    if (!version.equals(PROTOCOL_VERSION)) {
      throw new ProtocolException("the server speaks protocol version " + version + ", this client speaks " + PROTOCOL_VERSION);
    }
  }

  /** An {@code error} frame {@code BUSY*<reason>}: the server refuses this connection for load, then closes it. */
  private static void refuseIfBusy(Header frame) throws ServerBusyException {
    String busy = Replies.BUSY + Replies.SEP;
    if (frame.cmd().equals(Command.ERROR.wire()) && frame.data().startsWith(busy)) {
      throw new ServerBusyException(frame.data().substring(busy.length()));
    }
  }

  /** The account frames are sent as: {@code ""} before login, the logged-in account after (section 3). */
  public void account(String account) {
    this.account = account;
  }

  /**
   * Sends one command and returns the {@code data} of its answer. Commands are handled strictly
   * in order and a reply's {@code cmd} is the command it answers (section 1), so any other
   * {@code cmd} means the two sides disagree about the conversation.
   */
  public String request(String cmd, String data) throws IOException {
    return request(new Header(account, "", cmd, data));
  }

  /** As {@link #request(String, String)}, for a header carrying a password (login). */
  public String request(Header header) throws IOException {
    send(header, null);
    Header reply = receive().header();
    refuseIfBusy(reply);
    if (reply.cmd().equals(Command.ERROR.wire())) {
      throw new ProtocolException("the server rejected a frame: " + reply.data());
    }
    if (!reply.cmd().equals(header.cmd())) {
      throw new ProtocolException("expected an answer to " + header.cmd() + ", got " + reply.cmd());
    }
    return reply.data();
  }

  /** Sends one frame; {@code payload} may be null. */
  public void send(Header header, Buffer payload) throws IOException {
    out.write(Frame.encode(header, payload).getBytes());
    out.flush();
  }

  /**
   * Sends one frame as the logged-in account with the remaining bytes of {@code payload} (a
   * heap buffer), which are written from where they are, not copied.
   */
  public void sendChunk(String cmd, String data, ByteBuffer payload) throws IOException {
    int length = payload.remaining();
    out.write(Frame.encodeHead(new Header(account, "", cmd, data), length).getBytes());
    out.write(payload.array(), payload.arrayOffset() + payload.position(), length);
    out.flush();
  }

  /** Sends one frame as the logged-in account, without waiting for an answer (transfers). */
  public void send(String cmd, String data, Buffer payload) throws IOException {
    send(new Header(account, "", cmd, data), payload);
  }

  /**
   * Whether some of the next frame has already arrived, so {@link #receive} will not wait for
   * the server to start sending. An upload reads acknowledgements this way between chunks.
   */
  public boolean hasInput() throws IOException {
    return in.available() > 0;
  }

  /**
   * Reads one frame. The lengths are checked before anything is allocated for it (the client
   * accepts payloads up to the protocol's ceiling, whatever the server's setting).
   */
  public Frame receive() throws IOException {
    return receive(byte[]::new);
  }

  /** As {@link #receive()}, with a payload read into an array from {@code arrays} (see {@link FrameReader#read(IntFunction)}). */
  public Frame receive(IntFunction<byte[]> arrays) throws IOException {
    try {
      Frame frame = reader.read(arrays);
      if (frame == null) {
        throw new EOFException("the server closed the connection");
      }
      return frame;
    } catch (BadFrameException e) {
      throw new ProtocolException("the server sent a bad frame: " + e.reason());
    }
  }

  @Override
  public void close() throws IOException {
    if (tls != null) {
      tls.close();
    }
    socket.close();
  }
}
