package dev.ferry.client.transfer;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Remote paths made absolute on the client, the way the server reads them (PROTOCOL.md section
 * 2: relative to the working directory; {@code .}, {@code ..} and repeated {@code /}
 * normalised; {@code ..} above {@code /} stays at {@code /}). A transfer that reconnects then
 * names the same files whatever the new session's working directory.
 */
final class RemotePaths {

  private static final String ROOT = "/";

  private RemotePaths() {
  }

  static String absolute(String cwd, String path) {
    String joined = path.startsWith(ROOT) ? path : cwd + ROOT + path;
    Deque<String> parts = new ArrayDeque<>();
    for (String part : joined.split(ROOT)) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    return ROOT + String.join(ROOT, parts);
  }

  /** The last name of an absolute, normalised path; {@code ""} for the root. */
  static String name(String absolute) {
    return absolute.substring(absolute.lastIndexOf('/') + 1);
  }

  static String join(String directory, String name) {
    return directory.endsWith(ROOT) ? directory + name : directory + ROOT + name;
  }
}
