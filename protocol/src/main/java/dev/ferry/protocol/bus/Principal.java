package dev.ferry.protocol.bus;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.VirtualPath;

/** Who a request acts for, as the signed session token says. */
public record Principal(String account, Role role) {

  /**
   * storage-service itself, as it signs its usage reports (QuotaApi ADJUST). Its name is no valid
   * account name ({@link dev.ferry.protocol.AccountName}), so no user can ever log in as it and
   * auth-service never signs a session for it: a user's token, even the account's own or the
   * admin's, cannot change usage.
   */
  public static final Principal STORAGE_SERVICE = new Principal("@storage", Role.USER);

  /** Whether this is {@link #STORAGE_SERVICE}, the one principal that may report usage changes. */
  public boolean isStorageService() {
    return equals(STORAGE_SERVICE);
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** The virtual directory this principal may not leave. */
  public String home() {
    return VirtualPath.homeOf(account, role);
  }

  /** Whether this principal may act on {@code account}'s data: the admin, or the account itself. */
  public boolean mayManage(String account) {
    return isAdmin() || this.account.equals(account);
  }
}
