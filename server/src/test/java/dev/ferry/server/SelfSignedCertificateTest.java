package dev.ferry.server;

import dev.ferry.protocol.store.PrivateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated TLS key is private from the start: created 0600 in a 0700 directory. */
class SelfSignedCertificateTest {

  @TempDir
  Path data;

  @Test
  void generatedKeyAndItsDirectoryArePrivate() throws IOException {
    Path[] material = SelfSignedCertificate.ensure(data.resolve("tls"), "127.0.0.1");
    assertThat(Files.readString(material[1])).contains("PRIVATE KEY");
    assertThat(Files.getPosixFilePermissions(material[1])).isEqualTo(PrivateFiles.FILE);
    assertThat(Files.getPosixFilePermissions(material[0])).isEqualTo(PrivateFiles.FILE);
    assertThat(Files.getPosixFilePermissions(data.resolve("tls"))).isEqualTo(PrivateFiles.DIRECTORY);
  }
}
