package dev.ferry.sftp.fs;

import dev.ferry.protocol.Role;
import dev.ferry.sftp.SessionToken;
import dev.ferry.sftp.SftpUser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client path becomes a virtual path under the session's root, whatever the client sends:
 * {@code .} and {@code ..} are folded without ever leaving the client's {@code /}. Storage
 * checks the result again; this only makes sure the door never asks for a path above the root.
 */
class FerryFileSystemTest {

  private static FerryFileSystem of(String account, Role role) {
    return new FerryFileSystem(new FerryFileSystemProvider(), new SftpUser(account, role, "127.0.0.1", new SessionToken("t")), null, new TransferMemory(1 << 20));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
    /                          | /home/alice
    .                          | /home/alice
    /docs/a.txt                | /home/alice/docs/a.txt
    docs/./a.txt               | /home/alice/docs/a.txt
    ..                         | /home/alice
    /../../etc/passwd          | /home/alice/etc/passwd
    ../bob/secret.txt          | /home/alice/bob/secret.txt
    /docs/../../bob            | /home/alice/bob
    //home//bob                | /home/alice/home/bob
    a/b/../../../..            | /home/alice
    ..\\\\bob                   | /home/alice/..\\\\bob
    """)
  void aUsersPathsStayUnderHerHome(String client, String virtual) {
    FerryFileSystem fs = of("alice", Role.USER);
    assertThat(fs.virtual(fs.getPath(client).toAbsolutePath())).isEqualTo(virtual);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
    /                  | /
    /home/bob/x        | /home/bob/x
    ../../home         | /home
    """)
  void theAdminsRootIsTheStorageRoot(String client, String virtual) {
    FerryFileSystem fs = of("admin", Role.ADMIN);
    assertThat(fs.virtual(fs.getPath(client).toAbsolutePath())).isEqualTo(virtual);
  }
}
