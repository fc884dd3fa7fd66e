package dev.ferry.client.net;

import dev.ferry.client.FerryCli;
import dev.ferry.client.Target;
import dev.ferry.protocol.Frame;
import dev.ferry.protocol.FrameReader;
import dev.ferry.protocol.Header;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Map;
import javax.net.ssl.SSLEngine;

/**
 * The training run of the class-data archive the build makes beside the jar (the JVM's
 * {@code -XX:ArchiveClassesAtExit}; {@code bin/ferry} starts with it): loads and links the
 * classes every command needs, without a server. A command then starts about half a second
 * sooner, most of it the TLS engine's classes.
 */
public final class CdsTraining {

  private CdsTraining() {
  }

  public static void main(String[] args) throws Exception {
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    // Picocli's model of every command, the messages, and the help a mistyped command prints.
    new FerryCli(Map.of(), InputStream.nullInputStream(), nowhere, nowhere).run("--help");
    new FerryCli(Map.of(), InputStream.nullInputStream(), nowhere, nowhere).run("no-such-command", "localhost");
    // The TLS engine as far as a client hello: its classes and native library.
    SSLEngine engine = Connector.tlsEngine(new Target("training", "localhost", 2121, "/", ""), new PinningTrustManager(null, false));
    engine.beginHandshake();
    ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), hello);
    engine.closeOutbound();
    // A frame each way, and the checksum of a chunk.
    byte[] frame = Frame.encode(new Header("training", "", "view", ""), null).getBytes();
    FrameReader.ofServer(new ByteArrayInputStream(frame)).read();
    MessageDigest.getInstance("SHA-256").digest(frame);
  }
}
