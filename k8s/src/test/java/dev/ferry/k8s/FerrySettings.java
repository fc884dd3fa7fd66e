package dev.ferry.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code FERRY_*} environment variables a Ferry server reads. */
final class FerrySettings {

  /**
   * The settings issue 5 adds for clustering and the ops port (see the design notes). They are
   * being added to README.md's table at the same time as these manifests, so they are accepted
   * here too; once the README lists them, this set is redundant but harmless.
   */
  static final Set<String> ADDED_BY_ISSUE_5 = Set.of(
    "FERRY_CLUSTER", "FERRY_SERVICES", "FERRY_CLUSTER_HOST", "FERRY_CLUSTER_PORT", "FERRY_CLUSTER_MEMBERS",
    "FERRY_CLUSTER_KUBERNETES_SERVICE", "FERRY_EVENT_BUS_PORT", "FERRY_HTTP_HOST", "FERRY_HTTP_PORT");

  /** A row of the README's settings table: {@code | `key` | `FERRY_KEY` | default | meaning |}. */
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`[A-Za-z0-9]+`\\s*\\|\\s*`(FERRY_[A-Z0-9_]+)`\\s*\\|", Pattern.MULTILINE);

  private FerrySettings() {
  }

  /** The variables the README's settings table lists. */
  static Set<String> inReadme(Path readme) {
    String text;
    try {
      text = Files.readString(readme);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> names = new TreeSet<>();
    Matcher row = ROW.matcher(text);
    while (row.find()) {
      names.add(row.group(1));
    }
    return names;
  }

  /** The README's table (the repository root's README.md) and {@link #ADDED_BY_ISSUE_5}. */
  static Set<String> known() {
    Set<String> names = new TreeSet<>(inReadme(KustomizeBase.moduleDirectory().resolveSibling("README.md")));
    names.addAll(ADDED_BY_ISSUE_5);
    return names;
  }
}
