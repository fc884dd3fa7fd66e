package dev.ferry.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The Deployments: what runs, how many, with which image, probes, resources and privileges. */
class WorkloadsTest {

  static final String IMAGE = "ghcr.io/ferry-dev/ferry-server:0.1.0";
  static final List<String> SERVICES = List.of("gateway", "sftp", "auth", "quota", "storage");

  private static Manifests manifests;

  @BeforeAll
  static void render() {
    manifests = KustomizeBase.load();
  }

  @Test
  void eachServiceRunsInADeploymentOfItsOwnAsAClusterMember() {
    assertThat(manifests.all(Deployment.class)).hasSameSizeAs(SERVICES);
    for (String service : SERVICES) {
      Deployment deployment = manifests.deployment(service);
      assertThat(deployment.getMetadata().getName()).isEqualTo("ferry-" + service);
      assertThat(deployment.getSpec().getTemplate().getSpec().getContainers()).as(service).singleElement()
        .satisfies(c -> assertThat(c.getArgs()).containsExactly("--cluster", "--services", service));
    }
  }

  @Test
  void replicasFollowWhatEachServiceAllows() {
    assertThat(manifests.deployment("gateway").getSpec().getReplicas()).isEqualTo(2);
    // Accounts in PostgreSQL: any auth replica serves any login, and an update rolls one at a
    // time with a new pod ready before an old one stops, so logins never stop.
    Deployment auth = manifests.deployment("auth");
    assertThat(auth.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(auth.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(auth.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    assertThat(manifests.deployment("quota").getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(manifests.deployment("storage").getSpec().getReplicas()).isPositive();
  }

  /** users.json is one process's file: only the PostgreSQL store lets auth run as several replicas. */
  @Test
  void severalAuthReplicasOnlyOnTheSharedDatabase() {
    for (Deployment deployment : manifests.all(Deployment.class)) {
      Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      Map<String, String> env = ContainerEnvironment.of(container, deployment, manifests);
      if (container.getArgs().contains("auth") && deployment.getSpec().getReplicas() > 1) {
        assertThat(env).as(deployment.getMetadata().getName()).containsEntry("FERRY_ACCOUNT_STORE", "postgres");
      }
    }
  }

  @Test
  void everySelectorMatchesItsOwnPodTemplateAndNoOther() {
    for (Deployment deployment : manifests.all(Deployment.class)) {
      assertThat(Manifests.selects(deployment.getSpec().getSelector(), Manifests.podLabels(deployment)))
        .as("%s selects its own pods", deployment.getMetadata().getName()).isTrue();
      assertThat(manifests.all(Deployment.class)).filteredOn(other -> other != deployment)
        .noneMatch(other -> Manifests.selects(deployment.getSpec().getSelector(), Manifests.podLabels(other)));
      assertThat(Manifests.podLabels(deployment)).containsEntry("app.kubernetes.io/part-of", "ferry");
    }
  }

  @Test
  void everyContainerRunsTheOneImage() {
    for (Deployment deployment : manifests.all(Deployment.class)) {
      assertThat(Manifests.containers(deployment)).as(deployment.getMetadata().getName()).isNotEmpty()
        .allSatisfy(c -> assertThat(c.getImage()).isEqualTo(IMAGE));
    }
  }

  @Test
  void probesAskTheOpsPortForHealth() {
    for (Deployment deployment : manifests.all(Deployment.class)) {
      for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
        String where = deployment.getMetadata().getName();
        assertThat(container.getLivenessProbe()).as(where + " liveness").isNotNull();
        assertThat(container.getReadinessProbe()).as(where + " readiness").isNotNull();
        assertProbe(where, container, container.getLivenessProbe(), "/health/live");
        assertProbe(where, container, container.getReadinessProbe(), "/health/ready");
        if (container.getStartupProbe() != null) {
          assertProbe(where, container, container.getStartupProbe(), "/health/live");
        }
      }
    }
  }

  private static void assertProbe(String where, Container container, Probe probe, String path) {
    assertThat(probe.getHttpGet()).as(where).isNotNull();
    assertThat(probe.getHttpGet().getPath()).as(where).isEqualTo(path);
    int port = Ports.resolve(container, probe.getHttpGet().getPort());
    assertThat(port).as(where + " probe port").isEqualTo(Ports.named(container, "http"));
  }

  @Test
  void prometheusScrapesTheOpsPortOfEveryPod() {
    for (Deployment deployment : manifests.all(Deployment.class)) {
      Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
      Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(annotations).as(deployment.getMetadata().getName())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/path", "/metrics")
        .containsEntry("prometheus.io/port", Integer.toString(Ports.named(container, "http")));
    }
  }

  @Test
  void everyContainerHasRequestsAndLimitsItsJvmFitsIn() {
    for (Deployment deployment : manifests.all(Deployment.class)) {
      for (Container container : Manifests.containers(deployment).toList()) {
        String where = deployment.getMetadata().getName();
        Map<String, Quantity> requests = container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources().getLimits();
        assertThat(requests).as(where + " requests").containsKeys("cpu", "memory");
        assertThat(limits).as(where + " limits").containsKeys("cpu", "memory");
        for (String resource : List.of("cpu", "memory")) {
          assertThat(Quantity.getAmountInBytes(requests.get(resource)))
            .as(where + " " + resource + " request within the limit")
            .isLessThanOrEqualTo(Quantity.getAmountInBytes(limits.get(resource)));
        }
        String options = ContainerEnvironment.of(container, deployment, manifests).get("JAVA_TOOL_OPTIONS");
        assertThat(options).as(where + " JAVA_TOOL_OPTIONS").isNotBlank();
        long limit = Quantity.getAmountInBytes(limits.get("memory")).longValueExact();
        JvmMemory jvm = JvmMemory.of(options, limit);
        assertThat(jvm.explicitHeap()).as(where + ": heap set by -Xmx or -XX:MaxRAMPercentage").isTrue();
        // Heap and direct buffers within 80% of the limit: the rest is metaspace, threads, code.
        assertThat(BigDecimal.valueOf(jvm.heap() + jvm.direct()))
          .as("%s: heap %d + direct %d of a %d-byte limit", where, jvm.heap(), jvm.direct(), limit)
          .isLessThanOrEqualTo(BigDecimal.valueOf(limit).multiply(new BigDecimal("0.8")));
      }
    }
  }

  /** As server/jvm.options: a JVM out of heap exits and Kubernetes restarts it, rather than it staying up wedged. */
  @Test
  void everyJvmExitsWhenItRunsOutOfHeap() {
    for (Deployment deployment : manifests.all(Deployment.class)) {
      for (Container container : Manifests.containers(deployment).toList()) {
        String options = ContainerEnvironment.of(container, deployment, manifests).get("JAVA_TOOL_OPTIONS");
        assertThat(options.trim().split("\\s+")).as(deployment.getMetadata().getName() + " JAVA_TOOL_OPTIONS")
          .contains("-XX:+ExitOnOutOfMemoryError")
          .doesNotContain("-XX:-ExitOnOutOfMemoryError");
      }
    }
  }

  @Test
  void podsRunAsNonRootOnAReadOnlyRootWithAWritableTmp() {
    for (Deployment deployment : manifests.all(Deployment.class)) {
      String where = deployment.getMetadata().getName();
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(where).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).as(where).isPositive();
      // Kubernetes would otherwise inject FERRY_GATEWAY_PORT=tcp://... for Service ferry-gateway.
      assertThat(pod.getEnableServiceLinks()).as(where + " enableServiceLinks").isFalse();
      assertThat(pod.getAutomountServiceAccountToken()).as(where + " API token").isFalse();
      Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
      for (Container container : Manifests.containers(deployment).toList()) {
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(where).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(where).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).as(where).contains("ALL");
        assertThat(container.getVolumeMounts()).extracting(VolumeMount::getName).as(where + " mounts declared volumes")
          .allMatch(volumes::containsKey);
        VolumeMount tmp = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
          .orElseThrow(() -> new AssertionError(where + " has no /tmp: the JVM and Vert.x write there"));
        assertThat(volumes.get(tmp.getName()).getEmptyDir()).as(where + " /tmp is an emptyDir").isNotNull();
      }
    }
  }

  @Test
  void everyContainerDeclaresTheClusterAndOpsPorts() {
    for (Deployment deployment : manifests.all(Deployment.class)) {
      for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
        Set<String> names = container.getPorts().stream().map(ContainerPort::getName).collect(Collectors.toSet());
        assertThat(names).as(deployment.getMetadata().getName()).contains("http", "hazelcast", "eventbus");
      }
    }
    assertThat(Ports.named(manifests.deployment("gateway").getSpec().getTemplate().getSpec().getContainers().get(0), "ferry"))
      .isEqualTo(2121);
  }
}
