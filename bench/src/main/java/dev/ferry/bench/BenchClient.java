package dev.ferry.bench;

import dev.ferry.protocol.Frame;
import dev.ferry.protocol.FrameReader;
import dev.ferry.protocol.Header;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/** A minimal blocking protocol client for load generation; it trusts the bench's own server. */
final class BenchClient implements AutoCloseable {

  private static final SSLContext TLS = trustingContext();

  private final SSLSocket socket;
  private final OutputStream out;
  private final FrameReader in;

  BenchClient(int port) throws IOException {
    socket = (SSLSocket) TLS.getSocketFactory().createSocket("127.0.0.1", port);
    socket.startHandshake();
    out = socket.getOutputStream();
    in = FrameReader.ofServer(socket.getInputStream());
    next();
  }

  String call(String account, String password, String cmd, String data) throws IOException {
    out.write(Frame.encode(new Header(account, password, cmd, data), null).getBytes());
    out.flush();
    return next().data();
  }

  private Header next() throws IOException {
    Frame frame = in.read();
    if (frame == null) {
      throw new IOException("closed by the server");
    }
    return frame.header();
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
