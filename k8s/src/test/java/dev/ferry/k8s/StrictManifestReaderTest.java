package dev.ferry.k8s;

import dev.ferry.k8s.StrictManifestReader.InvalidManifestException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the reader the manifests test relies on refuses, each shown on a small document. */
class StrictManifestReaderTest {

  /** Valid as it stands; each test below breaks one thing in it. */
  private static final String DEPLOYMENT = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: demo
      namespace: ferry
    spec:
      replicas: 2
      selector:
        matchLabels: {app: demo}
      template:
        metadata:
          labels: {app: demo}
        spec:
          containers:
            - name: demo
              image: ghcr.io/ferry-dev/ferry-server:0.1.0
              imagePullPolicy: IfNotPresent
              resources:
                limits: {cpu: 2, memory: 1Gi}
              volumeMounts:
                - {name: tmp, mountPath: /tmp}
          volumes:
            - name: tmp
              emptyDir: {}
    """;

  private final StrictManifestReader reader = new StrictManifestReader();

  @Test
  void readsAValidDeploymentIntoTheTypedModel() {
    List<HasMetadata> read = reader.read("demo.yaml", DEPLOYMENT + "---\n");

    assertThat(read).singleElement().isInstanceOf(Deployment.class);
    Deployment deployment = (Deployment) read.get(0);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("IfNotPresent");
  }

  @Test
  void rejectsAMisspelledFieldDeepInAContainer() {
    String typo = DEPLOYMENT.replace("imagePullPolicy:", "imagePullPolcy:");

    assertThatThrownBy(() -> reader.read("demo.yaml", typo))
      .isInstanceOf(InvalidManifestException.class)
      .hasMessageContaining("demo.yaml, document 1")
      .hasMessageContaining("unknown fields [spec.template.spec.containers[0].imagePullPolcy]");
  }

  @Test
  void rejectsAMisspelledFieldOfTheSpec() {
    String typo = DEPLOYMENT.replace("  replicas: 2", "  replica: 2");

    assertThatThrownBy(() -> reader.read("demo.yaml", typo))
      .isInstanceOf(InvalidManifestException.class)
      .hasMessageContaining("unknown fields [spec.replica]");
  }

  @Test
  void rejectsAnUnknownKind() {
    String typo = DEPLOYMENT.replace("kind: Deployment", "kind: Deploymnet");

    assertThatThrownBy(() -> reader.read("demo.yaml", typo))
      .isInstanceOf(InvalidManifestException.class)
      .hasMessageContaining("unknown apiVersion/kind apps/v1/Deploymnet");
  }

  @Test
  void rejectsAStringWhereTheApiWantsANumber() {
    String quoted = DEPLOYMENT.replace("replicas: 2", "replicas: \"2\"");

    assertThatThrownBy(() -> reader.read("demo.yaml", quoted))
      .isInstanceOf(InvalidManifestException.class)
      .hasMessageContaining("spec.replicas");
  }

  @Test
  void rejectsANumberInAConfigMapsStringData() {
    String configMap = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: demo}
      data:
        FERRY_PORT: 2121
      """;

    assertThatThrownBy(() -> reader.read("config.yaml", configMap))
      .isInstanceOf(InvalidManifestException.class)
      .hasMessageContaining("FERRY_PORT");
    assertThat(reader.read("config.yaml", configMap.replace("2121", "\"2121\"")))
      .singleElement().isInstanceOfSatisfying(ConfigMap.class, map -> assertThat(map.getData()).containsEntry("FERRY_PORT", "2121"));
  }

  @Test
  void rejectsAKeyGivenTwice() {
    String twice = DEPLOYMENT.replace("  replicas: 2\n", "  replicas: 2\n  replicas: 3\n");

    assertThatThrownBy(() -> reader.read("demo.yaml", twice))
      .isInstanceOf(InvalidManifestException.class)
      .hasMessageContaining("replicas");
  }

  @Test
  void rejectsAWrongShape() {
    String wrong = DEPLOYMENT.replace("matchLabels: {app: demo}", "matchLabels: app=demo");

    assertThatThrownBy(() -> reader.read("demo.yaml", wrong)).isInstanceOf(InvalidManifestException.class);
  }
}
