package dev.ferry.server;

import dev.ferry.protocol.Frame;
import dev.ferry.protocol.FrameReader;
import dev.ferry.protocol.Header;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;

/**
 * A raw protocol client for tests: one blocking TLS socket, hand-made frames. It trusts any
 * certificate (the CLI's known-servers check is tested on its own) and never hides a frame.
 */
final class WireClient implements AutoCloseable {

  /** How long a connect, the handshake or a read may take. */
  private static final int TIMEOUT_MILLIS = 30_000;

  private final Socket socket;
  private final OutputStream out;
  private final FrameReader in;
  private final Header greeting;

  private WireClient(Socket socket) throws IOException {
    this.socket = socket;
    // Buffered so that a frame's lengths, header and payload leave in one TLS record where they fit.
    this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    this.in = FrameReader.ofServer(socket.getInputStream());
    this.greeting = next();
  }

  static WireClient connect(int port) throws Exception {
    return connectFrom("127.0.0.1", port);
  }

  /**
   * Connects from the loopback address {@code localAddress} (Linux takes any 127.0.0.0/8 address
   * as a local one), so that a test can be several clients as the server counts them.
   */
  static WireClient connectFrom(String localAddress, int port) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new TrustAll()}, null);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
    socket.bind(new InetSocketAddress(localAddress, 0));
    // Bounded waits from the first byte: a server that stopped answering fails the test, never hangs it.
    socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
    socket.setSoTimeout(TIMEOUT_MILLIS);
    socket.startHandshake();
    return new WireClient(socket);
  }

  /** SHA-256 of the certificate the server presented, in hex. */
  String serverFingerprint() throws Exception {
    byte[] der = ((SSLSocket) socket).getSession().getPeerCertificates()[0].getEncoded();
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(der));
  }

  static WireClient login(int port, String account, String password, String role) throws Exception {
    WireClient client = connect(port);
    Header reply = client.call(new Header(account, password, "login", role));
    if (!reply.data().startsWith("1*")) {
      client.close();
      throw new IllegalStateException("login of " + account + " failed: " + reply.data());
    }
    return client;
  }

  Header greeting() {
    return greeting;
  }

  /** Sends a command and returns the reply's header. */
  Header call(Header request) throws IOException {
    send(request);
    return next();
  }

  /** Sends a command with an empty account and password. */
  String call(String cmd, String data) throws IOException {
    return call(new Header("", "", cmd, data)).data();
  }

  void send(Header request) throws IOException {
    out.write(Frame.encode(request, null).getBytes());
    out.flush();
  }

  /** Sends a frame with a payload: {@code length} bytes of {@code bytes} from {@code from} (an upload chunk). */
  void send(Header request, byte[] bytes, int from, int length) throws IOException {
    byte[] json = request.toJson().encode().getBytes(StandardCharsets.UTF_8);
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(json.length);
    data.writeInt(length);
    data.write(json);
    data.write(bytes, from, length);
    data.flush();
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next frame's header; fails if the server closed the connection. */
  Header next() throws IOException {
    return nextFrame().header();
  }

  /** The next frame, payload included; fails if the server closed the connection. */
  Frame nextFrame() throws IOException {
    Frame frame = in.read();
    if (frame == null) {
      throw new IOException("connection closed by the server");
    }
    return frame;
  }

  /** Whether the server has closed the connection (reads to the end). */
  boolean closedByServer() throws IOException {
    try {
      return in.read() == null;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static final class TrustAll implements X509TrustManager {
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
  }
}
