package dev.ferry.sftp.fs;

import dev.ferry.protocol.bus.StorageApi;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Path;

/** The SHA-256 storage keeps of a file, so hashing extensions need not read the file through the door. */
public final class StoredDigest {

  /** {@code size} and {@code sha256} (hex) of a complete file. */
  public record Digest(long size, String sha256) {
  }

  private StoredDigest() {
  }

  public static Digest of(Path path) throws IOException {
    FerryPath file = FerryFileSystemProvider.ferry(path);
    FerryFileSystem fs = file.getFileSystem();
    JsonObject answer = fs.calls().storage(StorageApi.CHECKSUM, new JsonObject().put(StorageApi.PATH, fs.virtual(file)),
      path.toString());
    return new Digest(answer.getLong(StorageApi.SIZE), answer.getString(StorageApi.SHA256));
  }
}
