package dev.ferry.bench;

import dev.ferry.protocol.Frame;
import dev.ferry.protocol.FrameReader;
import dev.ferry.protocol.Header;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/** A minimal blocking protocol client for load generation; it trusts the bench's own server. */
final class BenchClient implements AutoCloseable {

  private static final SSLContext TLS = trustingContext();

  static final int READ_TIMEOUT_MS = 60_000;

  private final Socket socket;
  private final DataOutputStream out;
  private final FrameReader in;

  BenchClient(int port) throws IOException {
    this(port, true);
  }

  BenchClient(int port, boolean tls) throws IOException {
    this(port, tls, null, 1 << 16);
  }

  /**
   * A TLS client whose socket is bound to {@code localAddress} (any of 127.0.0.0/8 on Linux), so
   * that many clients come from many addresses, with a small write buffer: one of thousands of
   * idle sessions that send only small frames.
   */
  static BenchClient idleSession(int port, InetAddress localAddress) throws IOException {
    return new BenchClient(port, true, localAddress, 1024);
  }

  private BenchClient(int port, boolean tls, InetAddress localAddress, int writeBuffer) throws IOException {
    InetAddress server = InetAddress.getByName("127.0.0.1");
    if (tls) {
      SSLSocket ssl = (SSLSocket) (localAddress == null ? TLS.getSocketFactory().createSocket(server, port)
        : TLS.getSocketFactory().createSocket(server, port, localAddress, 0));
      ssl.startHandshake();
      socket = ssl;
    } else {
      socket = new Socket(server, port);
    }
    // A server that stops answering fails the benchmark rather than hanging it.
    socket.setSoTimeout(READ_TIMEOUT_MS);
    out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), writeBuffer));
    in = FrameReader.ofServer(socket.getInputStream());
    next();
  }

  String call(String account, String password, String cmd, String data) throws IOException {
    out.write(Frame.encode(new Header(account, password, cmd, data), null).getBytes());
    out.flush();
    return next().data();
  }

  /** Sends a frame without waiting for an answer. */
  void send(String cmd, String data, byte[] payload, int length) throws IOException {
    byte[] header = new Header("", "", cmd, data).toJson().encode().getBytes(StandardCharsets.UTF_8);
    out.writeInt(header.length);
    out.writeInt(payload == null ? 0 : length);
    out.write(header);
    if (payload != null) {
      out.write(payload, 0, length);
    }
  }

  void flush() throws IOException {
    out.flush();
  }

  /** The next frame, payload included. */
  Frame frame() throws IOException {
    Frame frame = in.read();
    if (frame == null) {
      throw new IOException("closed by the server");
    }
    return frame;
  }

  private Header next() throws IOException {
    return frame().header();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static SSLContext trustingContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
