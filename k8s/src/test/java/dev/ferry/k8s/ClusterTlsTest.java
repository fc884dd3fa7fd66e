package dev.ferry.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every cluster member gets the cluster TLS material a Ferry process refuses to join without:
 * its component's own certificate and key of the cluster CA and the CA, from a Secret mounted
 * read-only where the FERRY_CLUSTER_TLS_* settings point; and the cluster secret, one Secret
 * shared by all, where FERRY_CLUSTER_SECRET_PATH points.
 */
class ClusterTlsTest {

  private static final Set<String> FILES = Set.of("tls.crt", "tls.key", "ca.crt");
  private static Manifests manifests;

  @BeforeAll
  static void render() {
    manifests = KustomizeBase.load();
  }

  @Test
  void everyMemberMountsItsOwnClusterCertificateWhereTheSettingsPoint() {
    Set<String> secrets = new HashSet<>();
    for (String service : WorkloadsTest.SERVICES) {
      Deployment deployment = manifests.deployment(service);
      Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      Map<String, String> env = ContainerEnvironment.of(container, deployment, manifests);
      String cert = env.get("FERRY_CLUSTER_TLS_CERT_PATH");
      String key = env.get("FERRY_CLUSTER_TLS_KEY_PATH");
      String ca = env.get("FERRY_CLUSTER_TLS_CA_PATH");
      assertThat(cert).as(service).isNotNull();
      assertThat(key).as(service).isNotNull();
      assertThat(ca).as(service).isNotNull();
      for (String path : Set.of(cert, key, ca)) {
        Path file = Path.of(path);
        VolumeMount mount = container.getVolumeMounts().stream()
          .filter(m -> Path.of(m.getMountPath()).equals(file.getParent())).findFirst()
          .orElseThrow(() -> new AssertionError(service + ": nothing mounted where " + path + " is"));
        assertThat(mount.getReadOnly()).as(service + " " + mount.getMountPath()).isTrue();
        Volume volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
          .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertThat(volume.getSecret()).as(service + " " + mount.getName()).isNotNull();
        String secretName = volume.getSecret().getSecretName();
        assertThat(secretName).as(service).isEqualTo("ferry-cluster-tls-" + service);
        secrets.add(secretName);
        assertThat(volume.getSecret().getDefaultMode()).as(service + ": key readable by owner and group only").isEqualTo(0440);
        assertThat(keys(manifests.get(Secret.class, secretName))).as(secretName).contains(file.getFileName().toString());
      }
    }
    assertThat(secrets).as("one Secret per component").hasSize(WorkloadsTest.SERVICES.size());
  }

  @Test
  void everyMemberMountsTheOneClusterSecretWhereTheSettingPoints() {
    for (String service : WorkloadsTest.SERVICES) {
      Deployment deployment = manifests.deployment(service);
      Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      String path = ContainerEnvironment.of(container, deployment, manifests).get("FERRY_CLUSTER_SECRET_PATH");
      assertThat(path).as(service).isNotNull();
      Path file = Path.of(path);
      VolumeMount mount = container.getVolumeMounts().stream()
        .filter(m -> Path.of(m.getMountPath()).equals(file.getParent())).findFirst()
        .orElseThrow(() -> new AssertionError(service + ": nothing mounted where " + path + " is"));
      assertThat(mount.getReadOnly()).as(service + " " + mount.getMountPath()).isTrue();
      Volume volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
      assertThat(volume.getSecret().getSecretName()).as(service).isEqualTo("ferry-cluster-secret");
      assertThat(volume.getSecret().getDefaultMode()).as(service).isEqualTo(0440);
      assertThat(keys(manifests.get(Secret.class, "ferry-cluster-secret"))).contains(file.getFileName().toString());
    }
    // The placeholder is shorter than the 32 bytes Ferry demands, so nothing starts on it.
    assertThat(value(manifests.get(Secret.class, "ferry-cluster-secret"), "cluster.secret").trim()).hasSizeLessThan(32);
  }

  @Test
  void clusterTlsPlaceholdersAreOnesFerryRefusesToStartWith() {
    for (String service : WorkloadsTest.SERVICES) {
      Secret secret = manifests.get(Secret.class, "ferry-cluster-tls-" + service);
      assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
      assertThat(keys(secret)).containsAll(FILES);
      for (String file : FILES) {
        assertThat(value(secret, file)).as(service + " " + file).doesNotContain("BEGIN");
      }
    }
  }

  private static Set<String> keys(Secret secret) {
    Set<String> keys = new HashSet<>();
    if (secret.getData() != null) {
      keys.addAll(secret.getData().keySet());
    }
    if (secret.getStringData() != null) {
      keys.addAll(secret.getStringData().keySet());
    }
    return keys;
  }

  private static String value(Secret secret, String key) {
    if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
      return secret.getStringData().get(key);
    }
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
