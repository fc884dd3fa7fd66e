package dev.ferry.k8s;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The namespace enforces the Pod Security "restricted" profile, and every pod meets it (checked
 * here as the admission controller would, so a manifest change that breaks it fails this test
 * rather than the deployment).
 */
class PodSecurityTest {

  private static Manifests manifests;

  @BeforeAll
  static void render() {
    manifests = KustomizeBase.load();
  }

  @Test
  void theNamespaceEnforcesWarnsAndAuditsTheRestrictedProfile() {
    Namespace namespace = manifests.get(Namespace.class, "ferry");
    for (String mode : List.of("enforce", "warn", "audit")) {
      assertThat(namespace.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/" + mode, "restricted")
        .containsEntry("pod-security.kubernetes.io/" + mode + "-version", "latest");
    }
  }

  @Test
  void everyPodMeetsTheRestrictedProfile() {
    for (Deployment deployment : manifests.all(Deployment.class)) {
      String where = deployment.getMetadata().getName();
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      assertThat(pod.getHostNetwork()).as(where + " hostNetwork").isNotEqualTo(true);
      assertThat(pod.getHostPID()).as(where + " hostPID").isNotEqualTo(true);
      assertThat(pod.getHostIPC()).as(where + " hostIPC").isNotEqualTo(true);
      for (Volume volume : pod.getVolumes()) {
        // The restricted profile's volume types, of which Ferry uses these.
        assertThat(volume.getPersistentVolumeClaim() != null || volume.getEmptyDir() != null || volume.getSecret() != null
          || volume.getConfigMap() != null || volume.getProjected() != null)
          .as(where + " volume " + volume.getName() + " is of an allowed type").isTrue();
      }
      PodSecurityContext podContext = pod.getSecurityContext();
      for (Container container : Manifests.containers(deployment).toList()) {
        String in = where + " container " + container.getName();
        SecurityContext context = container.getSecurityContext();
        assertThat(context).as(in).isNotNull();
        assertThat(context.getPrivileged()).as(in + " privileged").isNotEqualTo(true);
        assertThat(context.getAllowPrivilegeEscalation()).as(in + " allowPrivilegeEscalation").isFalse();
        Capabilities capabilities = context.getCapabilities();
        assertThat(capabilities.getDrop()).as(in).contains("ALL");
        assertThat(capabilities.getAdd()).as(in + " adds only NET_BIND_SERVICE").isSubsetOf("NET_BIND_SERVICE");
        boolean nonRoot = context.getRunAsNonRoot() != null ? context.getRunAsNonRoot() : Boolean.TRUE.equals(podContext.getRunAsNonRoot());
        assertThat(nonRoot).as(in + " runAsNonRoot").isTrue();
        Long user = context.getRunAsUser() != null ? context.getRunAsUser() : podContext.getRunAsUser();
        assertThat(user).as(in + " runAsUser").isNotEqualTo(0L);
        String seccomp = context.getSeccompProfile() != null ? context.getSeccompProfile().getType()
          : podContext.getSeccompProfile() == null ? null : podContext.getSeccompProfile().getType();
        assertThat(seccomp).as(in + " seccomp").isIn("RuntimeDefault", "Localhost");
        assertThat(container.getPorts()).as(in + " hostPort").allSatisfy(p -> assertThat(p.getHostPort()).isIn(null, 0));
      }
    }
  }
}
