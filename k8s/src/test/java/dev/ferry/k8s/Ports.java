package dev.ferry.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;

import java.util.Optional;

/** Container ports by name or number, as probes, Services and policies refer to them. */
final class Ports {

  private Ports() {
  }

  /** The number of the port {@code container} declares under {@code name}. */
  static int named(Container container, String name) {
    return find(container, new IntOrString(name))
      .orElseThrow(() -> new AssertionError(container.getName() + " declares no port named " + name));
  }

  /** The declared port {@code reference} means: a name, or a number the container declares. */
  static int resolve(Container container, IntOrString reference) {
    return find(container, reference)
      .orElseThrow(() -> new AssertionError(container.getName() + " declares no port " + reference.getValue()));
  }

  static Optional<Integer> find(Container container, IntOrString reference) {
    return container.getPorts().stream()
      .filter(port -> reference.getIntVal() != null
        ? reference.getIntVal().equals(port.getContainerPort())
        : reference.getStrVal().equals(port.getName()))
      .map(ContainerPort::getContainerPort)
      .findFirst();
  }
}
