package dev.ferry.k8s;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The kustomize base in {@code k8s/base}, rendered without kubectl (not installed in CI): the
 * files its {@code resources} list names, in order, read strictly. That equals what
 * {@code kubectl kustomize} renders only while the kustomization uses nothing but
 * {@code resources}, so any other field (patches, generators, common labels, a namespace) is
 * refused rather than silently not applied.
 */
final class KustomizeBase {

  static final String KUSTOMIZATION = "kustomization.yaml";
  private static final Set<String> UNDERSTOOD = Set.of("apiVersion", "kind", "resources");
  private static final YAMLMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private KustomizeBase() {
  }

  /** {@code k8s/}: Surefire runs in the module directory and names it in {@code basedir}. */
  static Path moduleDirectory() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  static Path directory() {
    return moduleDirectory().resolve("base");
  }

  /** Ferry's base, rendered. */
  static Manifests load() {
    return load(directory());
  }

  static Manifests load(Path base) {
    StrictManifestReader reader = new StrictManifestReader();
    List<HasMetadata> resources = new ArrayList<>();
    for (Path file : resourceFiles(base)) {
      resources.addAll(reader.read(base.relativize(file).toString(), read(file)));
    }
    return new Manifests(resources);
  }

  /** The files {@code resources} names, checked to be plain files inside the base. */
  static List<Path> resourceFiles(Path base) {
    JsonNode kustomization;
    try {
      kustomization = YAML.readTree(read(base.resolve(KUSTOMIZATION)));
    } catch (IOException e) {
      throw new IllegalArgumentException(KUSTOMIZATION + " is not YAML: " + e.getMessage(), e);
    }
    for (Iterator<String> names = kustomization.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!UNDERSTOOD.contains(name)) {
        throw new IllegalArgumentException(KUSTOMIZATION + ": '" + name + "' is not applied by this test; keep the base to "
          + UNDERSTOOD + " and put the rest in an overlay");
      }
    }
    if (!"kustomize.config.k8s.io/v1beta1".equals(kustomization.path("apiVersion").asText())
      || !"Kustomization".equals(kustomization.path("kind").asText())) {
      throw new IllegalArgumentException(KUSTOMIZATION + ": not a kustomize.config.k8s.io/v1beta1 Kustomization");
    }
    List<Path> files = new ArrayList<>();
    for (JsonNode entry : kustomization.path("resources")) {
      Path file = base.resolve(entry.asText()).normalize();
      if (!entry.isTextual() || !file.startsWith(base) || !Files.isRegularFile(file)) {
        throw new IllegalArgumentException(KUSTOMIZATION + ": resource " + entry + " is not a file in " + base);
      }
      files.add(file);
    }
    return files;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
