package dev.ferry.sftp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;

import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The SFTP door's meters, on Micrometer's global registry (the server's /metrics; no-ops until
 * the launcher adds a registry), every tag combination registered up front:
 *
 * <ul>
 *   <li>{@code ferry_sftp_sessions_open}: authenticated SSH sessions</li>
 *   <li>{@code ferry_sftp_logins_total{method=password|publickey, result=ok|refused}}</li>
 *   <li>{@code ferry_sftp_bytes_total{direction=upload|download}}: file bytes written and read</li>
 *   <li>{@code ferry_sftp_files_total{direction, result=success|failed}}: file handles closed, by
 *       whether the last operation on them (for an upload: its publishing) went well</li>
 * </ul>
 */
public final class SftpMetrics {

  /** How a login ended. */
  public enum LoginResult { OK, REFUSED }

  private final AtomicInteger sessions = new AtomicInteger();
  private final Map<String, Counter> logins;
  private final Counter uploaded;
  private final Counter downloaded;
  private final Map<String, Counter> files;

  public SftpMetrics() {
    this(Metrics.globalRegistry);
  }

  SftpMetrics(MeterRegistry registry) {
    Gauge.builder("ferry.sftp.sessions.open", sessions, AtomicInteger::get).register(registry);
    logins = Stream.of("password", "publickey").flatMap(m -> Stream.of(LoginResult.values()).map(r -> m + "/" + tag(r)))
      .collect(Collectors.toMap(Function.identity(), key -> Counter.builder("ferry.sftp.logins")
        .tag("method", key.substring(0, key.indexOf('/'))).tag("result", key.substring(key.indexOf('/') + 1)).register(registry)));
    uploaded = Counter.builder("ferry.sftp.bytes").tag("direction", "upload").register(registry);
    downloaded = Counter.builder("ferry.sftp.bytes").tag("direction", "download").register(registry);
    files = Stream.of("upload", "download").flatMap(d -> Stream.of(d + "/success", d + "/failed"))
      .collect(Collectors.toMap(Function.identity(), key -> Counter.builder("ferry.sftp.files")
        .tag("direction", key.substring(0, key.indexOf('/'))).tag("result", key.substring(key.indexOf('/') + 1)).register(registry)));
  }

  private static String tag(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  void login(String method, LoginResult result) {
    logins.get(method + "/" + tag(result)).increment();
  }

  void sessionOpened() {
    sessions.incrementAndGet();
  }

  void sessionClosed() {
    sessions.decrementAndGet();
  }

  /** Counts bytes and closed files as the SFTP subsystem reports them. */
  SftpEventListener listener() {
    return new SftpEventListener() {
      @Override
      public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data, int dataOffset,
        int dataLen, int readLen, Throwable thrown) {
        if (thrown == null && readLen > 0) {
          downloaded.increment(readLen);
        }
      }

      @Override
      public void written(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
        int dataOffset, int dataLen, Throwable thrown) {
        if (thrown == null) {
          uploaded.increment(dataLen);
        }
      }

      @Override
      public void closed(ServerSession session, String remoteHandle, Handle localHandle, Throwable thrown) {
        if (localHandle instanceof FileHandle file) {
          boolean upload = file.getOpenOptions().contains(StandardOpenOption.WRITE) || file.getOpenOptions().contains(StandardOpenOption.APPEND);
          files.get((upload ? "upload" : "download") + (thrown == null ? "/success" : "/failed")).increment();
        }
      }
    };
  }
}
