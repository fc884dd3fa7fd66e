package dev.ferry.server;

import dev.ferry.protocol.Frame;
import dev.ferry.protocol.Header;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * The client side of PROTOCOL.md s4 and s5 done by hand over a {@link WireClient}, as a careful
 * client would: chunks of the max payload, at most one window unacknowledged, acknowledgements
 * at least every half window.
 */
final class WireTransfers {

  static final int CHUNK = 1 << 20;
  static final long WINDOW = 8 << 20;

  /** Where an upload got to: bytes sent, the last ACK read, and the final answer if one came. */
  record Progress(long sent, long acked, String end) {
  }

  /** A finished download: the announced size and checksum, and the bytes received from the offset on. */
  record Downloaded(long size, String sha256, byte[] bytes) {
  }

  private WireTransfers() {
  }

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code <dir>*<name>*<size>*<sha256>[*overwrite]}. */
  static String uploadData(String dir, String name, byte[] content, boolean overwrite) {
    return dir + "*" + name + "*" + content.length + "*" + sha256(content) + (overwrite ? "*overwrite" : "");
  }

  /** Sends {@code upload} and answers the offset of its {@code READY*<offset>}; fails on any other answer. */
  static long ready(WireClient client, String data) throws IOException {
    Header reply = client.call(new Header("", "", "upload", data));
    if (!reply.cmd().equals("upload") || !reply.data().startsWith("READY*")) {
      throw new IllegalStateException("upload " + data + " answered " + reply.data());
    }
    return Long.parseLong(reply.data().substring("READY*".length()));
  }

  /** A whole upload from where the server says to start; answers the final {@code uploading} answer. */
  static String upload(WireClient client, String data, byte[] content) throws IOException {
    long offset = ready(client, data);
    return send(client, content, offset, content.length).end();
  }

  /**
   * Sends bytes {@code [from, to)} as {@code uploading} chunks, reading ACKs whenever a window is
   * unacknowledged, and stops early if the server ends the upload. When {@code to} is the size,
   * it reads on until the final answer.
   */
  static Progress send(WireClient client, byte[] content, long from, long to) throws IOException {
    long sent = from;
    long acked = from;
    while (sent < to) {
      int length = (int) Math.min(CHUNK, to - sent);
      while (sent + length - acked > WINDOW) {
        String answer = nextUploading(client);
        if (!answer.startsWith("ACK*")) {
          return new Progress(sent, acked, answer);
        }
        acked = Long.parseLong(answer.substring(4));
      }
      client.send(new Header("", "", "uploading", Long.toString(sent)), content, (int) sent, length);
      sent += length;
    }
    if (to < content.length) {
      return new Progress(sent, acked, null);
    }
    while (true) {
      String answer = nextUploading(client);
      if (!answer.startsWith("ACK*")) {
        return new Progress(sent, acked, answer);
      }
      acked = Long.parseLong(answer.substring(4));
    }
  }

  /** Reads ACKs until one reaches {@code atLeast}; answers it (or fails on any other answer). */
  static long awaitAck(WireClient client, long atLeast) throws IOException {
    while (true) {
      String answer = nextUploading(client);
      if (!answer.startsWith("ACK*")) {
        throw new IllegalStateException("upload ended with " + answer);
      }
      long acked = Long.parseLong(answer.substring(4));
      if (acked >= atLeast) {
        return acked;
      }
    }
  }

  private static String nextUploading(WireClient client) throws IOException {
    Header reply = client.next();
    if (!reply.cmd().equals("uploading")) {
      throw new IllegalStateException("expected an uploading answer, got " + reply);
    }
    return reply.data();
  }

  /** Sends {@code download} and answers its {@code <size>*<sha256>} (or fails with the answer). */
  static String[] announce(WireClient client, String path) throws IOException {
    Header reply = client.call(new Header("", "", "download", path));
    if (!reply.cmd().equals("download") || !reply.data().matches("[0-9]+\\*[0-9a-f]{64}")) {
      throw new IllegalStateException("download " + path + " answered " + reply.data());
    }
    return reply.data().split("\\*");
  }

  /** A whole download from {@code offset}, acknowledged every half window, up to {@code download SUCCESS}. */
  static Downloaded download(WireClient client, String path, long offset) throws IOException {
    return receive(client, announce(client, path), offset);
  }

  /** After the {@code <size>*<sha256>} answer {@code announced}: the download from {@code offset} up to {@code download SUCCESS}. */
  static Downloaded receive(WireClient client, String[] announced, long offset) throws IOException {
    long size = Long.parseLong(announced[0]);
    client.send(new Header("", "", "download_RES", "READY*" + offset));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long received = offset;
    long ackedSent = offset;
    while (received < size) {
      Frame frame = client.nextFrame();
      Header header = frame.header();
      if (!header.cmd().equals("download_ing")) {
        throw new IllegalStateException("expected a chunk at " + received + ", got " + header);
      }
      if (Long.parseLong(header.data()) != received) {
        throw new IllegalStateException("chunk at " + header.data() + ", expected " + received);
      }
      bytes.write(frame.payload().getBytes());
      received += frame.payload().length();
      if (received - ackedSent >= WINDOW / 2 || received == size) {
        client.send(new Header("", "", "download_RES", "READY*" + received));
        ackedSent = received;
      }
    }
    Header end = client.next();
    if (!end.cmd().equals("download") || !end.data().equals("SUCCESS")) {
      throw new IllegalStateException("download ended with " + end);
    }
    return new Downloaded(size, announced[1], bytes.toByteArray());
  }
}
