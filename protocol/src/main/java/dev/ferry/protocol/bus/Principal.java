package dev.ferry.protocol.bus;

import dev.ferry.protocol.Role;
import dev.ferry.protocol.VirtualPath;

/**
 * Who a request acts for, as the signed session token says. {@code token} is that token (null for
 * a principal not read from one): a service that asks another on the caller's behalf hands it on,
 * as no service but auth can sign one.
 */
public record Principal(String account, Role role, String token) {

  public Principal(String account, Role role) {
    this(account, role, null);
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

  /** Equal when account and role are: the token is how a principal was proven, not who it is. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Principal p && account.equals(p.account) && role == p.role;
  }

  @Override
  public int hashCode() {
    return account.hashCode() * 31 + role.hashCode();
  }

  @Override
  public String toString() {
    return "Principal[" + account + ", " + role + "]";
  }
}
