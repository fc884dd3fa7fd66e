package dev.ferry.bench;

import dev.ferry.protocol.Frame;
import dev.ferry.protocol.Payloads;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** The client side of one verified transfer, and the raw socket copy it is compared with. */
final class Transfers {

  static final int CHUNK = 1 << 20;
  static final long WINDOW = 8L << 20;

  private Transfers() {
  }

  /** A file of {@code size} pseudo-random bytes (a repeated random block: no compression on the path). */
  static Path randomFile(Path dir, String name, long size) throws IOException {
    return randomFile(dir, name, size, size);
  }

  /** As above, its bytes drawn from {@code seed}: files of one size that differ. */
  static Path randomFile(Path dir, String name, long size, long seed) throws IOException {
    Path file = dir.resolve(name);
    byte[] block = new byte[CHUNK];
    new Random(seed).nextBytes(block);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= CHUNK) {
        out.write(block, 0, (int) Math.min(CHUNK, left));
      }
    }
    return file;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md = digest();
    byte[] buf = new byte[CHUNK];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Downloads {@code path} to {@code local}, acknowledging every chunk, and verifies its SHA-256. */
  static long download(BenchClient c, String path, Path local) throws IOException {
    String[] meta = c.call("", "", "download", path).split("\\*");
    if (meta.length != 2) {
      throw new IOException("download answered " + String.join("*", meta));
    }
    long size = Long.parseLong(meta[0]);
    MessageDigest md = digest();
    c.send("download_RES", "READY*0", null, 0);
    c.flush();
    long received = 0;
    try (FileChannel out = FileChannel.open(local, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
         DiskWriter disk = new DiskWriter(out, md, 4)) {
      while (true) {
        Frame frame = c.frame();
        if (frame.header().cmd().equals("download_ing")) {
          ByteBuffer bytes = Payloads.view(frame.payload());
          received += bytes.remaining();
          disk.write(bytes);
          c.send("download_RES", "READY*" + received, null, 0);
          c.flush();
        } else if (frame.header().data().equals("SUCCESS")) {
          break;
        } else {
          throw new IOException("download: " + frame.header().data());
        }
      }
      disk.finish();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("download interrupted", e);
    }
    if (received != size || !HexFormat.of().formatHex(md.digest()).equals(meta[1])) {
      throw new IOException("download of " + path + " did not verify");
    }
    return size;
  }

  /** Uploads {@code local} into {@code dir} (overwriting), keeping at most one window unacknowledged. */
  static long upload(BenchClient c, Path local, String dir, String sha256) throws IOException {
    long size = Files.size(local);
    String ready = c.call("", "", "upload", dir + "*" + local.getFileName() + "*" + size + "*" + sha256 + "*overwrite");
    if (!ready.startsWith("READY*")) {
      throw new IOException("upload answered " + ready);
    }
    long sent = Long.parseLong(ready.substring("READY*".length()));
    long acked = sent;
    byte[] chunk = new byte[CHUNK];
    try (FileChannel in = FileChannel.open(local)) {
      in.position(sent);
      while (sent < size) {
        while (sent - acked >= WINDOW) {
          acked = ack(c.frame());
        }
        int n = in.read(ByteBuffer.wrap(chunk));
        c.send("uploading", Long.toString(sent), chunk, n);
        sent += n;
      }
    }
    c.flush();
    while (true) {
      Frame frame = c.frame();
      String data = frame.header().data();
      if (data.startsWith("SUCCESS*")) {
        if (!data.equals("SUCCESS*" + sha256)) {
          throw new IOException("upload: the server stored " + data);
        }
        return size;
      }
      ack(frame);
    }
  }

  private static long ack(Frame frame) throws IOException {
    String data = frame.header().data();
    if (!data.startsWith("ACK*")) {
      throw new IOException("upload: " + data);
    }
    return Long.parseLong(data.substring("ACK*".length()));
  }

  /**
   * The raw TCP limit: a plain socket copy of {@code source} to {@code target}, disk to disk,
   * through buffers of {@code bufferSize} bytes on both sides (8192 is what
   * {@code InputStream.transferTo} uses). Returns seconds.
   */
  static double rawCopy(Path source, Path target, int bufferSize) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Thread sender = new Thread(() -> {
        try (Socket s = server.accept(); InputStream in = Files.newInputStream(source); OutputStream out = s.getOutputStream()) {
          copy(in, out, bufferSize);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }, "raw-sender");
      long t0 = System.nanoTime();
      sender.start();
      try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort()); InputStream in = s.getInputStream();
           OutputStream out = Files.newOutputStream(target)) {
        copy(in, out, bufferSize);
      }
      sender.join();
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  /** The best of {@code runs} raw copies of {@code source} (the copy is deleted after each), in MB/s. */
  static double bestRawCopy(Path source, int bufferSize, int runs) throws Exception {
    double best = 0;
    Path target = source.resolveSibling("raw-copy.bin");
    for (int i = 0; i < runs; i++) {
      touchPageCache(source.getParent(), Files.size(source));
      best = Math.max(best, Files.size(source) / 1e6 / rawCopy(source, target, bufferSize));
      Files.delete(target);
    }
    return best;
  }

  private static void copy(InputStream in, OutputStream out, int bufferSize) throws IOException {
    byte[] buffer = new byte[bufferSize];
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      out.write(buffer, 0, n);
    }
  }

  /**
   * Writes and deletes {@code bytes} of scratch file in {@code dir}, so that the file a
   * measurement writes next can land in page-cache memory the machine has just handed out, as on
   * a long-running machine whose memory is all in use. This virtual machine gives memory back to
   * its host (free page reporting, 2 s after a free; and a DAMON scheme pages out what is left
   * idle for a minute), and the first write to memory given back costs several times more: here
   * 1.4 to 2.6 s of CPU per GiB written, against 0.17 s for memory freed just before. A
   * measurement that outlasts the next report still pays for part of its memory (perf of slow
   * upload rounds: 0.9 to 2 s in the kernel's copy into new page-cache pages, 0.05 s in fast
   * ones), hence the best of several rounds. Every measured copy, the raw one included, is
   * preceded by this.
   */
  static void touchPageCache(Path dir, long bytes) throws IOException {
    Path scratch = randomFile(dir, "scratch.bin", bytes);
    Files.delete(scratch);
  }

  /** Deletes {@code dir} and everything under it. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code clients} sessions of user u0 at once, each uploading {@code source} into a directory
   * of its own and downloading it back, verified; answers the seconds it took.
   */
  static double manyClients(int port, Path work, String round, int clients, Path source) throws Exception {
    return manyClients(port, work, round, clients, source, 1);
  }

  /** As above, client {@code i} logged in to account {@code u(i % accounts)}. */
  static double manyClients(int port, Path work, String round, int clients, Path source, int accounts) throws Exception {
    String sha = sha256(source);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
    try {
      java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < clients; i++) {
        int account = i % accounts;
        String dir = "/home/u" + account + "/" + round + i;
        Path back = work.resolve("back-" + round + i + ".bin");
        done.add(pool.submit(() -> {
          try (BenchClient c = new BenchClient(port)) {
            Bench.login(c, "u" + account, "bench-pass-" + account, "user");
            c.call("", "", "mkdir", dir);
            upload(c, source, dir, sha);
            download(c, dir + "/" + source.getFileName(), back);
            Files.delete(back);
          }
          return null;
        }));
      }
      // A client blocked writing to a server that stopped reading never times out by itself.
      long deadline = t0 + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(BenchClient.READ_TIMEOUT_MS) * 5;
      for (java.util.concurrent.Future<?> f : done) {
        try {
          f.get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          throw new IOException(clients + " clients at once: not all done after " + BenchClient.READ_TIMEOUT_MS * 5 / 1000 + " s", e);
        }
      }
      return (System.nanoTime() - t0) / 1e9;
    } finally {
      pool.shutdownNow();
    }
  }
}
