package dev.ferry.sftp;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.VirtualPath;
import org.apache.sshd.common.AttributeRepository.AttributeKey;

/**
 * Who an SSH session logged in as: kept on the session once the auth service let it in.
 *
 * @param account       the account
 * @param role          its role: an admin's SFTP root is the storage root, a user's their home
 * @param clientAddress the client's IP address, as the auth service counts failures by it
 */
public record SftpUser(String account, Role role, String clientAddress, SessionToken token) {

  /** The session attribute that holds it. */
  public static final AttributeKey<SftpUser> KEY = new AttributeKey<>();

  /** The virtual path the client sees as {@code /}. */
  public String root() {
    return VirtualPath.homeOf(account, role);
  }
}
