package dev.ferry.storage;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * The settings storage-service reads from the shared flat config, each with a named default.
 *
 * <p>Layout under the data directory (ARCHITECTURE.md): {@code files/} is the virtual {@code /},
 * homes live at {@code files/home/<account>}, and partial uploads at {@code partial/}, outside
 * {@code files/} so they can never show up in a listing.
 */
public final class StorageOptions {

  public static final String DEFAULT_DATA = "./data";
  public static final String FILES_DIR = "files";
  public static final String PARTIAL_DIR = "partial";

  private final Path dataDir;

  public StorageOptions(JsonObject config) {
    this.dataDir = Path.of(config.getString("data", DEFAULT_DATA));
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The directory that is the virtual {@code /}. */
  public Path filesDir() {
    return dataDir.resolve(FILES_DIR);
  }

  /** Partial uploads and their metadata. */
  public Path partialDir() {
    return dataDir.resolve(PARTIAL_DIR);
  }
}
