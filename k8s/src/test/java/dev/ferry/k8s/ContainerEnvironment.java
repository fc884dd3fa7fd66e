package dev.ferry.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment a container starts with, as far as the manifests decide it: the ConfigMaps of
 * {@code envFrom} (with their prefix), then {@code env}, later entries winning, and
 * {@code $(NAME)} references to variables defined before expanded as the kubelet does. Values
 * known only at run time read as markers: {@code <fieldRef status.podIP>},
 * {@code <secret ferry-tls/tls.key>}; {@code metadata.namespace} is the object's.
 */
final class ContainerEnvironment {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private ContainerEnvironment() {
  }

  /**
   * @param owner the object whose pod template holds the container (its namespace)
   * @throws AssertionError when a ConfigMap it names, or a key of one, is not in {@code manifests}
   */
  static Map<String, String> of(Container container, HasMetadata owner, Manifests manifests) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource source : container.getEnvFrom()) {
      if (source.getConfigMapRef() != null) {
        ConfigMap map = manifests.get(ConfigMap.class, source.getConfigMapRef().getName());
        String prefix = source.getPrefix() == null ? "" : source.getPrefix();
        map.getData().forEach((key, value) -> env.put(prefix + key, value));
      }
      if (source.getSecretRef() != null) {
        throw new AssertionError(container.getName() + ": secrets go in one by one (secretKeyRef), not envFrom");
      }
    }
    for (EnvVar variable : container.getEnv()) {
      env.put(variable.getName(), variable.getValueFrom() == null
        ? expand(variable.getValue() == null ? "" : variable.getValue(), env)
        : fromSource(variable.getValueFrom(), owner, manifests));
    }
    return env;
  }

  private static String expand(String value, Map<String, String> defined) {
    Matcher reference = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (reference.find()) {
      String known = defined.get(reference.group(1));
      reference.appendReplacement(out, Matcher.quoteReplacement(known != null ? known : reference.group()));
    }
    return reference.appendTail(out).toString();
  }

  private static String fromSource(EnvVarSource source, HasMetadata owner, Manifests manifests) {
    if (source.getFieldRef() != null) {
      String field = source.getFieldRef().getFieldPath();
      return field.equals("metadata.namespace") ? owner.getMetadata().getNamespace() : "<fieldRef " + field + ">";
    }
    if (source.getSecretKeyRef() != null) {
      return "<secret " + source.getSecretKeyRef().getName() + "/" + source.getSecretKeyRef().getKey() + ">";
    }
    if (source.getConfigMapKeyRef() != null) {
      String key = source.getConfigMapKeyRef().getKey();
      String value = manifests.get(ConfigMap.class, source.getConfigMapKeyRef().getName()).getData().get(key);
      if (value == null) {
        throw new AssertionError("ConfigMap " + source.getConfigMapKeyRef().getName() + " has no key " + key);
      }
      return value;
    }
    return "<resourceFieldRef>";
  }
}
