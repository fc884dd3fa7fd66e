package dev.ferry.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** The objects a kustomization renders, with the lookups the checks need. */
final class Manifests {

  private final List<HasMetadata> resources;

  Manifests(List<HasMetadata> resources) {
    this.resources = List.copyOf(resources);
  }

  List<HasMetadata> all() {
    return resources;
  }

  <T extends HasMetadata> List<T> all(Class<T> kind) {
    return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
    return all(kind).stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst();
  }

  /** The one of that kind and name; an {@link AssertionError} when there is none. */
  <T extends HasMetadata> T get(Class<T> kind, String name) {
    return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " named " + name));
  }

  /** The Deployment running the Ferry service {@code service} (its component label). */
  Deployment deployment(String service) {
    return all(Deployment.class).stream()
      .filter(d -> service.equals(podLabels(d).get("app.kubernetes.io/component")))
      .findFirst()
      .orElseThrow(() -> new AssertionError("no Deployment runs the service " + service));
  }

  static Map<String, String> podLabels(Deployment deployment) {
    Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  static Stream<Container> containers(Deployment deployment) {
    var spec = deployment.getSpec().getTemplate().getSpec();
    return Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream());
  }

  /** Whether a Service-style selector (every pair must be there) picks pods with {@code labels}. */
  static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
  }

  /**
   * Whether a {@link LabelSelector} picks pods with {@code labels}, with Kubernetes' meaning: every
   * matchLabels pair and every matchExpressions requirement holds; an empty selector picks all.
   */
  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> matchLabels = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    if (!labels.entrySet().containsAll(matchLabels.entrySet())) {
      return false;
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    return expressions.stream().allMatch(requirement -> holds(requirement, labels));
  }

  private static boolean holds(LabelSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (requirement.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> throw new AssertionError("unknown selector operator " + requirement.getOperator());
    };
  }

  /** Name and kind, for messages. */
  static String describe(HasMetadata resource) {
    return resource.getKind() + " " + Objects.toString(resource.getMetadata().getName(), "(unnamed)");
  }
}
