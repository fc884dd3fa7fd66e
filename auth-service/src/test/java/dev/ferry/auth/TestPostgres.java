package dev.ferry.auth;

import dev.ferry.auth.db.DatabaseOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests, the one test kit every module's tests use (through
 * auth-service's test-jar): Debian's {@code postgresql} binaries, {@code initdb} into a temp
 * directory, {@code pg_ctl} on a free loopback port, password (SCRAM) authentication for TCP
 * clients. {@link #shared()} is one server per JVM, stopped by a shutdown hook; {@link #start()}
 * a private one a test may stop and start again (a database restart); {@link #startTlsOnly()} one
 * that, as managed databases often do, takes TCP clients only over TLS. {@link #newDatabase()}
 * gives each test class an empty database of its own.
 *
 * <p>{@code initdb} refuses to run as root, which CI and these machines are: then every server
 * command runs as the {@code postgres} system user (the package creates it) through
 * {@code runuser}, in a directory that user owns.
 */
public final class TestPostgres implements AutoCloseable {

  /** The role Ferry connects as, owner of every database made here. */
  public static final String USER = "ferry";
  public static final String PASSWORD = "ferry-test-password";
  private static final String SUPERUSER = "postgres";
  private static final Path DEBIAN_BINARIES = Path.of("/usr/lib/postgresql");
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static TestPostgres shared;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgresUser;
  private final boolean tlsOnly;
  private boolean running;

  private TestPostgres(Path bin, Path dir, int port, boolean asPostgresUser, boolean tlsOnly) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
    this.tlsOnly = tlsOnly;
  }

  /** The server of this JVM, started on first use and stopped when the JVM exits. */
  public static synchronized TestPostgres shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /** A server of the caller's own, stopped by {@link #close} (or when the JVM exits). */
  public static TestPostgres start() {
    return start(false);
  }

  /**
   * A server of the caller's own that refuses TCP clients without TLS. Its certificate, signed
   * by {@link #caCertificate()}, names {@code localhost} only, not {@code 127.0.0.1}.
   */
  public static TestPostgres startTlsOnly() {
    return start(true);
  }

  private static TestPostgres start(boolean tlsOnly) {
    try {
      Path bin = binaries();
      boolean root = "root".equals(System.getProperty("user.name"));
      Path dir = Files.createTempDirectory("ferry-pg");
      TestPostgres server = new TestPostgres(bin, dir, freePort(), root, tlsOnly);
      if (root) {
        run(List.of("chown", SUPERUSER + ":", dir.toString()), false);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
      server.init();
      if (tlsOnly) {
        server.makeCertificates();
      }
      server.startServer();
      server.psql("postgres", "CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a test PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** The newest PostgreSQL installed; a clear failure when there is none. */
  private static Path binaries() throws IOException {
    if (Files.isDirectory(DEBIAN_BINARIES)) {
      try (Stream<Path> versions = Files.list(DEBIAN_BINARIES)) {
        List<Path> found = versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
          .sorted(Comparator.comparing((Path b) -> versionOf(b.getParent())).reversed())
          .toList();
        if (!found.isEmpty()) {
          return found.get(0);
        }
      }
    }
    throw new IllegalStateException("PostgreSQL is not installed (no " + DEBIAN_BINARIES + "/*/bin/pg_ctl): the tests of "
      + "the PostgreSQL account store need it; install Debian's postgresql package (apt-get install postgresql), "
      + "as .ci/run does");
  }

  private static int versionOf(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString().replaceAll("\\..*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void init() throws IOException {
    Path pwfile = dir.resolve("pwfile");
    Files.writeString(pwfile, PASSWORD + "\n");
    if (asPostgresUser) {
      run(List.of("chown", SUPERUSER + ":", pwfile.toString()), false);
    }
    server(List.of(bin.resolve("initdb").toString(), "-D", dataDir().toString(), "-U", SUPERUSER, "--pwfile=" + pwfile,
      "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"));
  }

  /**
   * A test CA and the server's key and certificate (for {@code localhost}), made with openssl,
   * and a pg_hba.conf that rejects TCP clients without TLS. A second CA signs nothing: a client
   * that trusts only it must refuse the server.
   */
  private void makeCertificates() throws IOException {
    Path tls = dir.resolve("tls");
    Files.createDirectories(tls);
    for (String ca : List.of("ca", "other-ca")) {
      run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", tls.resolve(ca + ".key").toString(), "-out", tls.resolve(ca + ".crt").toString(), "-days", "30",
        "-subj", "/CN=ferry test " + ca), false);
    }
    run(List.of("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", tls.resolve("server.key").toString(), "-out", tls.resolve("server.csr").toString(),
      "-subj", "/CN=localhost"), false);
    Path extensions = Files.writeString(tls.resolve("server.ext"), "subjectAltName=DNS:localhost\n");
    run(List.of("openssl", "x509", "-req", "-in", tls.resolve("server.csr").toString(), "-CA", tls.resolve("ca.crt").toString(),
      "-CAkey", tls.resolve("ca.key").toString(), "-CAcreateserial", "-out", tls.resolve("server.crt").toString(),
      "-days", "30", "-extfile", extensions.toString()), false);
    Files.writeString(dataDir().resolve("pg_hba.conf"), "local all all trust\n"
      + "hostssl all all 127.0.0.1/32 scram-sha-256\n"
      + "hostnossl all all 0.0.0.0/0 reject\n");
    if (asPostgresUser) {
      run(List.of("chown", "-R", SUPERUSER + ":", tls.toString(), dataDir().resolve("pg_hba.conf").toString()), false);
    }
    run(List.of("chmod", "0600", tls.resolve("server.key").toString()), false);
  }

  /** The CA that signs a TLS-only server's certificate (PEM). */
  public Path caCertificate() {
    return dir.resolve("tls/ca.crt");
  }

  /** A CA that signs nothing this server presents (PEM). */
  public Path otherCaCertificate() {
    return dir.resolve("tls/other-ca.crt");
  }

  private void startServer() throws IOException {
    // Durability off: a test database is thrown away, and fsync would only slow the suite.
    String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
      + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
    if (tlsOnly) {
      Path tls = dir.resolve("tls");
      options += " -c ssl=on -c ssl_cert_file=" + tls.resolve("server.crt") + " -c ssl_key_file=" + tls.resolve("server.key");
    }
    server(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir().toString(), "-l", dir.resolve("log").toString(),
      "-o", options, "-w", "-t", "60", "start"));
    running = true;
  }

  private Path dataDir() {
    return dir.resolve("data");
  }

  /** The loopback port it listens on. */
  public int port() {
    return port;
  }

  /** {@code postgresql://ferry@127.0.0.1:PORT/DATABASE}: the form of the databaseUrl setting. */
  public String url(String database) {
    return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
  }

  /** The store settings of the database at {@code url}, with the test password. */
  public static DatabaseOptions options(String url) {
    return new DatabaseOptions(new JsonObject().put("accountStore", "postgres").put("databaseUrl", url)
      .put("databasePassword", PASSWORD));
  }

  /** A new empty database owned by {@link #USER}; its URL. */
  public String newDatabase() {
    String name = "ferry_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    psql("postgres", "CREATE DATABASE " + name + " OWNER " + USER);
    return url(name);
  }

  /** Runs SQL as the superuser in {@code database}; its output (unaligned, tuples only). */
  public String psql(String database, String sql) {
    try {
      return server(List.of(bin.resolve("psql").toString(), "-h", dir.toString(), "-p", String.valueOf(port), "-U",
        SUPERUSER, "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql)).trim();
    } catch (IOException e) {
      throw new IllegalStateException("psql failed: " + e.getMessage(), e);
    }
  }

  /** Stops the server at once (as a crash would, no clean shutdown); {@link #restart} starts it again. */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    try {
      server(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir().toString(), "-m", "immediate", "-w", "stop"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot stop the test PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** Starts a stopped server again on the same port and data. */
  public synchronized void restart() {
    try {
      startServer();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the test PostgreSQL again: " + e.getMessage(), e);
    }
  }

  /** Stops the server and deletes its directory. */
  @Override
  public synchronized void close() {
    try {
      stop();
    } catch (RuntimeException e) {
      System.err.println("test PostgreSQL: " + e.getMessage());
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("test PostgreSQL: cannot delete " + dir + ": " + e.getMessage());
    }
  }

  /** A server command, as the postgres user when this JVM runs as root. */
  private String server(List<String> command) throws IOException {
    return run(command, asPostgresUser);
  }

  private static String run(List<String> command, boolean asPostgresUser) throws IOException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
    }
    full.addAll(command);
    Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", full) + " did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", full) + " exited " + process.exitValue() + ": " + text);
    }
    return text;
  }
}
