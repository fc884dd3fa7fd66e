package dev.ferry.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The virtual tree every client sees (PROTOCOL.md section 2): {@code /} is the storage root,
 * a user's home is {@code /home/<account>}, the admin's home is {@code /}.
 *
 * <p>This is the one place where a client's path text becomes a normalised absolute path and
 * is checked against a home. Storage maps the result to disk and checks symbolic links.
 */
public final class VirtualPath {

  public static final String ROOT = "/";
  public static final String HOMES = "/home";
  private static final int MAX_NAME_BYTES = 255;

  private VirtualPath() {
  }

  /** The home of a session: {@code /} for the admin role, {@code /home/<account>} otherwise. */
  public static String homeOf(String account, Role role) {
    return role == Role.ADMIN ? ROOT : HOMES + "/" + account;
  }

  /**
   * Resolves {@code input} against the working directory {@code cwd} and normalises it:
   * {@code .}, {@code ..} and repeated {@code /} are folded; {@code ..} above the root stays at
   * the root.
   *
   * @throws BadNameException if a component is a name the protocol forbids
   */
  public static String resolve(String cwd, String input) {
    String text = input == null ? "" : input;
    String joined = text.startsWith("/") ? text : (cwd == null ? ROOT : cwd) + "/" + text;
    Deque<String> parts = new ArrayDeque<>();
    for (String part : joined.split("/", -1)) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
        continue;
      }
      checkName(part);
      parts.addLast(part);
    }
    return parts.isEmpty() ? ROOT : "/" + String.join("/", parts);
  }

  /**
   * The account whose quota {@code path} (normalised) counts against: {@code <account>} for
   * {@code /home/<account>} and everything below it; empty for anything else ({@code /},
   * {@code /home}, files the admin keeps outside the homes), which no quota limits.
   */
  public static Optional<String> ownerOf(String path) {
    if (!path.startsWith(HOMES + "/")) {
      return Optional.empty();
    }
    String rest = path.substring(HOMES.length() + 1);
    int slash = rest.indexOf('/');
    String account = slash < 0 ? rest : rest.substring(0, slash);
    return account.isEmpty() ? Optional.empty() : Optional.of(account);
  }

  /** Whether {@code path} (normalised) is {@code home} or below it. */
  public static boolean isWithin(String path, String home) {
    if (home.equals(ROOT)) {
      return path.startsWith(ROOT);
    }
    return path.equals(home) || path.startsWith(home + "/");
  }

  /** The components of a normalised path; empty for the root. */
  public static List<String> components(String path) {
    if (path.equals(ROOT)) {
      return List.of();
    }
    return List.of(path.substring(1).split("/"));
  }

  /** The parent of a normalised path; the root is its own parent. */
  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? ROOT : path.substring(0, slash);
  }

  /** The last component of a normalised path; empty for the root. */
  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Whether a single name is one the protocol allows to be created. */
  public static boolean isValidName(String name) {
    try {
      checkName(name);
      return !name.equals(".") && !name.equals("..");
    } catch (BadNameException e) {
      return false;
    }
  }

  private static void checkName(String name) {
    if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new BadNameException(name);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || c == '*' || c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        throw new BadNameException(name);
      }
    }
  }

  /** A path component the protocol answers with {@code BAD_NAME}. */
  public static final class BadNameException extends IllegalArgumentException {
    public BadNameException(String name) {
      super("bad name", null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
