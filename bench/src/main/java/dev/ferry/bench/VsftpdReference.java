package dev.ferry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * vsftpd in the foreground as the user running the bench (no root needed), anonymous FTP with
 * uploads and overwrites allowed in one directory, listening and passive on 127.0.0.1 only; plain,
 * or with TLS required on every connection (explicit FTPS, a self-signed certificate).
 */
final class VsftpdReference implements Reference {

  private static final long START_TIMEOUT_MS = 10_000;
  /** Where distributions install it, beside the PATH (sbin is often not on a user's PATH). */
  private static final List<String> SBIN = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");

  private final Process process;
  private final int port;
  private final Path root;
  /** The certificate curl is to trust, when TLS is on; null for plain FTP. */
  private final Path certificate;

  private VsftpdReference(Process process, int port, Path root, Path certificate) {
    this.process = process;
    this.port = port;
    this.root = root;
    this.certificate = certificate;
  }

  /** The vsftpd executable on the PATH or in an sbin directory, if installed. */
  static Optional<Path> executable() {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(SBIN);
    return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, "vsftpd")).filter(Files::isExecutable).findFirst();
  }

  static VsftpdReference start(Path root) throws IOException, InterruptedException {
    return start(root, List.of(), null);
  }

  /**
   * vsftpd requiring TLS for logins and data alike, with a certificate for 127.0.0.1 made by the
   * openssl command; curl verifies it.
   */
  static VsftpdReference startTls(Path root) throws IOException, InterruptedException {
    Files.createDirectories(root);
    Path key = root.resolveSibling(root.getFileName() + ".key.pem");
    Path certificate = root.resolveSibling(root.getFileName() + ".cert.pem");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(),
      "-out", certificate.toString()).redirectErrorStream(true).start();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (openssl.waitFor() != 0) {
      throw new IOException("openssl req failed: " + output.strip());
    }
    return start(root, List.of("ssl_enable=YES", "allow_anon_ssl=YES", "force_anon_logins_ssl=YES",
      "force_anon_data_ssl=YES", "rsa_cert_file=" + certificate, "rsa_private_key_file=" + key,
      // curl does not resume the control connection's TLS session on data connections.
      "require_ssl_reuse=NO", "ssl_ciphers=HIGH"), certificate);
  }

  private static VsftpdReference start(Path root, List<String> tls, Path certificate)
    throws IOException, InterruptedException {
    Path vsftpd = executable().orElseThrow(() -> new IOException("vsftpd is not installed"));
    Files.createDirectories(root);
    // The listen port must be named in the configuration: one the OS just handed out, then freed.
    int port = ClusterBench.freePort();
    Path config = root.resolveSibling(root.getFileName() + ".vsftpd.conf");
    Path log = root.resolveSibling(root.getFileName() + ".vsftpd.log");
    List<String> lines = new ArrayList<>(List.of(
      "listen=YES", "listen_ipv6=NO", "listen_address=127.0.0.1", "listen_port=" + port, "background=NO",
      // As the launching user: no root, no privilege separation, hence anonymous only.
      "run_as_launching_user=YES", "anonymous_enable=YES", "local_enable=NO", "no_anon_password=YES",
      "anon_root=" + root, "write_enable=YES", "anon_upload_enable=YES", "anon_other_write_enable=YES",
      "anon_mkdir_write_enable=YES", "anon_world_readable_only=NO", "anon_umask=022",
      "pasv_enable=YES", "pasv_address=127.0.0.1", "pasv_addr_resolve=NO",
      "seccomp_sandbox=NO", "xferlog_enable=NO", "dirmessage_enable=NO", "max_clients=64", "max_per_ip=64"));
    lines.addAll(tls);
    Files.writeString(config, String.join("\n", lines) + "\n");
    Process process = new ProcessBuilder(vsftpd.toString(), config.toString()).redirectErrorStream(true)
      .redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
    while (true) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
           BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
        String banner = in.readLine();
        if (banner != null && banner.startsWith("220")) {
          return new VsftpdReference(process, port, root, certificate);
        }
        throw new IOException("vsftpd greeted with " + banner);
      } catch (java.net.ConnectException e) {
        if (!process.isAlive()) {
          throw new IOException("vsftpd exited with status " + process.exitValue() + ": "
            + Files.readString(log).strip());
        }
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IOException("vsftpd not listening after " + START_TIMEOUT_MS + " ms");
        }
        Thread.sleep(20); // polling a port with a deadline
      }
    }
  }

  @Override
  public String description() {
    return "curl + vsftpd (" + (certificate == null ? "plain FTP" : "FTP over TLS") + ", anonymous, passive, on loopback)";
  }

  @Override
  public List<String> curlOptions() {
    return certificate == null ? List.of() : List.of("--ssl-reqd", "--cacert", certificate.toString());
  }

  @Override
  public String url(String name) {
    return "ftp://127.0.0.1:" + port + "/" + name;
  }

  @Override
  public String smallFetchUrl() {
    return url("");
  }

  @Override
  public String smallFetchDescription() {
    return "curl listing of the served directory (FTP login, PASV, LIST)";
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public void close() throws InterruptedException {
    // vsftpd forks a process per connection; any still there go with it.
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
