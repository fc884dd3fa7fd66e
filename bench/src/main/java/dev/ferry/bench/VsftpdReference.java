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
 * uploads and overwrites allowed in one directory, listening and passive on 127.0.0.1 only.
 */
final class VsftpdReference implements Reference {

  private static final long START_TIMEOUT_MS = 10_000;
  /** Where distributions install it, beside the PATH (sbin is often not on a user's PATH). */
  private static final List<String> SBIN = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");

  private final Process process;
  private final int port;
  private final Path root;

  private VsftpdReference(Process process, int port, Path root) {
    this.process = process;
    this.port = port;
    this.root = root;
  }

  /** The vsftpd executable on the PATH or in an sbin directory, if installed. */
  static Optional<Path> executable() {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(SBIN);
    return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, "vsftpd")).filter(Files::isExecutable).findFirst();
  }

  static VsftpdReference start(Path root) throws IOException, InterruptedException {
    Path vsftpd = executable().orElseThrow(() -> new IOException("vsftpd is not installed"));
    Files.createDirectories(root);
    // The listen port must be named in the configuration: one the OS just handed out, then freed.
    int port = ClusterBench.freePort();
    Path config = root.resolveSibling("vsftpd.conf");
    Files.writeString(config, String.join("\n",
      "listen=YES", "listen_ipv6=NO", "listen_address=127.0.0.1", "listen_port=" + port, "background=NO",
      // As the launching user: no root, no privilege separation, hence anonymous only.
      "run_as_launching_user=YES", "anonymous_enable=YES", "local_enable=NO", "no_anon_password=YES",
      "anon_root=" + root, "write_enable=YES", "anon_upload_enable=YES", "anon_other_write_enable=YES",
      "anon_mkdir_write_enable=YES", "anon_world_readable_only=NO", "anon_umask=022",
      "pasv_enable=YES", "pasv_address=127.0.0.1", "pasv_addr_resolve=NO",
      "seccomp_sandbox=NO", "xferlog_enable=NO", "dirmessage_enable=NO", "max_clients=64", "max_per_ip=64", ""));
    Process process = new ProcessBuilder(vsftpd.toString(), config.toString()).redirectErrorStream(true)
      .redirectOutput(root.resolveSibling("vsftpd.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
    while (true) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
           BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
        String banner = in.readLine();
        if (banner != null && banner.startsWith("220")) {
          return new VsftpdReference(process, port, root);
        }
        throw new IOException("vsftpd greeted with " + banner);
      } catch (java.net.ConnectException e) {
        if (!process.isAlive()) {
          throw new IOException("vsftpd exited with status " + process.exitValue() + ": "
            + Files.readString(root.resolveSibling("vsftpd.log")).strip());
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
    return "curl + vsftpd (plain FTP, anonymous, passive, on loopback)";
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
