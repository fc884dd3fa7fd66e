package dev.ferry.protocol;

import java.util.Locale;
import java.util.Optional;

/** The two roles of PROTOCOL.md: {@code admin} sees the whole tree, {@code user} only their home. */
public enum Role {
  ADMIN, USER;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String wire) {
    for (Role role : values()) {
      if (role.wire().equals(wire)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
