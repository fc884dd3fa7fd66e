package dev.ferry.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The base renders: every file it names parses strictly, into one namespace, nothing left out. */
class KustomizeBaseTest {

  @Test
  void everyDocumentIsAKnownKubernetesObjectWithNothingUnknownInIt() {
    // load() fails on the first unknown kind, unknown field, coerced value or duplicate key.
    Manifests manifests = KustomizeBase.load();

    assertThat(manifests.all()).extracting(HasMetadata::getKind).contains(
      "Namespace", "ConfigMap", "Secret", "PersistentVolumeClaim", "Service", "Deployment", "PodDisruptionBudget", "NetworkPolicy");
    assertThat(manifests.all()).extracting(r -> r.getKind() + "/" + r.getMetadata().getName()).doesNotHaveDuplicates();
  }

  @Test
  void everyObjectIsInTheFerryNamespaceTheBaseCreates() {
    Manifests manifests = KustomizeBase.load();

    assertThat(manifests.get(Namespace.class, "ferry")).isNotNull();
    assertThat(manifests.all()).filteredOn(r -> !(r instanceof Namespace))
      .allSatisfy(r -> assertThat(r.getMetadata().getNamespace()).as(Manifests.describe(r)).isEqualTo("ferry"))
      .allSatisfy(r -> assertThat(r.getMetadata().getLabels()).as(Manifests.describe(r))
        .containsEntry("app.kubernetes.io/part-of", "ferry"));
  }

  @Test
  void everyManifestInTheBaseIsListedInTheKustomization() throws IOException {
    Path base = KustomizeBase.directory();
    List<Path> listed = KustomizeBase.resourceFiles(base);

    try (Stream<Path> files = Files.list(base)) {
      assertThat(files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
        .filter(f -> !f.getFileName().toString().equals(KustomizeBase.KUSTOMIZATION)))
        .as("manifests in base/ that kubectl apply -k would leave out")
        .containsExactlyInAnyOrderElementsOf(listed);
    }
  }

  @Test
  void theDataVolumeIsSharedByEveryNode() {
    PersistentVolumeClaim data = KustomizeBase.load().get(PersistentVolumeClaim.class, "ferry-data");

    assertThat(data.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    assertThat(data.getSpec().getResources().getRequests()).containsKey("storage");
  }

  @Test
  void refusesAKustomizationFieldItWouldNotApply(@TempDir Path base) throws IOException {
    Files.writeString(base.resolve("config.yaml"), """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: demo}
      data: {FERRY_TLS: "true"}
      """);
    Files.writeString(base.resolve(KustomizeBase.KUSTOMIZATION), """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      resources: [config.yaml]
      """);
    assertThat(KustomizeBase.load(base).all()).hasSize(1);

    Files.writeString(base.resolve(KustomizeBase.KUSTOMIZATION), """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      namespace: elsewhere
      resources: [config.yaml]
      """);
    assertThatThrownBy(() -> KustomizeBase.load(base)).hasMessageContaining("'namespace' is not applied");
  }

  @Test
  void refusesAResourceOutsideTheBase(@TempDir Path base) throws IOException {
    Files.writeString(base.resolve(KustomizeBase.KUSTOMIZATION), """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      resources: [../elsewhere.yaml]
      """);

    assertThatThrownBy(() -> KustomizeBase.load(base)).hasMessageContaining("is not a file in");
  }
}
