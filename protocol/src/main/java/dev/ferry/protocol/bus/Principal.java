package dev.ferry.protocol.bus;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.VirtualPath;

/** Who a request acts for, as the signed session token says. */
public record Principal(String account, Role role) {

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
