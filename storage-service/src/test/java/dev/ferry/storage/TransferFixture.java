package dev.ferry.storage;

import dev.ferry.protocol.bus.Failure;
import dev.ferry.protocol.bus.TransferApi;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Content, requests and outcomes the transfer tests share. */
final class TransferFixture {

  private TransferFixture() {
  }

  static byte[] randomBytes(int size, long seed) {
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

  static JsonObject openWrite(String dir, String name, byte[] content, boolean overwrite) {
    return openWrite(dir, name, content.length, sha256(content), overwrite);
  }

  static JsonObject openWrite(String dir, String name, long size, String sha256, boolean overwrite) {
    return new JsonObject().put(TransferApi.DIR, dir).put(TransferApi.NAME, name).put(TransferApi.SIZE, size)
      .put(TransferApi.SHA256, sha256).put(TransferApi.OVERWRITE, overwrite);
  }

  static JsonObject openRead(String path) {
    return new JsonObject().put(TransferApi.PATH, path);
  }

  /**
   * Sends bytes {@code [from, to)} of {@code content} in chunks, all at once without waiting for
   * answers (as the gateway pipelines them), the last one synced; answers the last stored count.
   */
  static Future<Long> writeAll(TransferRequests node, String token, byte[] content, int from, int to, int chunk) {
    List<Future<Long>> writes = new ArrayList<>();
    for (int offset = from; offset < to; offset += chunk) {
      int length = Math.min(chunk, to - offset);
      writes.add(node.write(token, offset, Buffer.buffer(content).slice(offset, offset + length).copy(), offset + length == to));
    }
    return Future.all(writes).map(all -> writes.isEmpty() ? (long) from : writes.get(writes.size() - 1).result());
  }

  /** Reads a whole file through a read handle with several reads at once. */
  static Future<byte[]> readAll(TransferRequests node, String token, long size, int chunk) {
    List<Future<Buffer>> reads = new ArrayList<>();
    for (long offset = 0; offset < size; offset += chunk) {
      reads.add(node.read(token, offset, chunk));
    }
    return Future.all(reads).map(all -> {
      Buffer whole = Buffer.buffer();
      reads.forEach(r -> whole.appendBuffer(r.result()));
      return whole.getBytes();
    });
  }

  /** The failure a request ended with, or null if it succeeded. */
  static Future<Failure> failureOf(Future<?> request) {
    return request.transform(ar -> Future.succeededFuture(ar.failed() ? Failure.of(ar.cause()) : null));
  }
}
