package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The plain local server curl fetches from and sends to in {@code bench/run cli}: vsftpd when it
 * is installed, else an HTTP server in the bench JVM. Both serve one directory on 127.0.0.1.
 */
interface Reference extends AutoCloseable {

  /** What ran, for the output: e.g. "curl + vsftpd (plain FTP)". */
  String description();

  /** The URL of {@code name} (a path relative to the served directory) for curl to get or put. */
  String url(String name);

  /** What curl needs beside the URL to reach this server (TLS and whom to trust), if anything. */
  default List<String> curlOptions() {
    return List.of();
  }

  /** What one command fetches in the sequential-commands case: a listing, or a tiny file. */
  String smallFetchUrl();

  /** What {@link #smallFetchUrl()} is, for the output. */
  String smallFetchDescription();

  /** The served directory: files put land here. */
  Path root();

  @Override
  void close() throws IOException, InterruptedException;

  /**
   * The reference {@code kind} asks for ({@code auto}: vsftpd when it can be started, else HTTP),
   * serving {@code root}; its log, if any, goes beside it.
   */
  static Reference start(String kind, Path root) throws Exception {
    switch (kind) {
      case "vsftpd" -> {
        return VsftpdReference.start(root);
      }
      case "http" -> {
        return HttpReference.start(root);
      }
      case "auto" -> {
        if (VsftpdReference.executable().isPresent()) {
          try {
            return VsftpdReference.start(root);
          } catch (IOException e) {
            System.out.println("cli: vsftpd did not start (" + e.getMessage() + "); the reference is curl against HTTP instead");
          }
        }
        if (VsftpdReference.executable().isEmpty()) {
          System.out.println("cli: vsftpd is not installed; the reference is curl against HTTP");
        }
        return HttpReference.start(root);
      }
      default -> throw new IllegalArgumentException("unknown reference " + kind + " (auto, vsftpd or http)");
    }
  }
}
