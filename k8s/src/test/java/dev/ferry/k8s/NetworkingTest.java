package dev.ferry.k8s;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Services, the NetworkPolicy and the PodDisruptionBudgets agree with the pods they mean. */
class NetworkingTest {

  private static final Set<Integer> CLUSTER_PORTS = Set.of(5701, 5702);
  /** What may be reached from anywhere: clients on the gateway and SFTP ports. */
  private static final Set<Integer> OPEN_PORTS = Set.of(2121, 2222);
  /** The ops port (metrics, health): from the monitoring namespace only. */
  private static final int OPS_PORT = 8080;
  /** PostgreSQL, the account store: reached by auth and quota only. */
  private static final int DATABASE_PORT = 5432;
  private static final Map<String, String> MONITORING = Map.of("kubernetes.io/metadata.name", "monitoring");
  private static final Map<String, String> KUBE_SYSTEM = Map.of("kubernetes.io/metadata.name", "kube-system");
  private static final Map<String, String> FERRY = Map.of("app.kubernetes.io/part-of", "ferry");

  private static Manifests manifests;

  @BeforeAll
  static void render() {
    manifests = KustomizeBase.load();
  }

  @Test
  void everyServiceSelectsPodsThatDeclareItsTargetPort() {
    for (Service service : manifests.all(Service.class)) {
      String where = "Service " + service.getMetadata().getName();
      List<Deployment> selected = manifests.all(Deployment.class).stream()
        .filter(d -> Manifests.selects(service.getSpec().getSelector(), Manifests.podLabels(d))).toList();
      assertThat(selected).as(where + " selects pods").isNotEmpty();
      for (ServicePort port : service.getSpec().getPorts()) {
        IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
        for (Deployment deployment : selected) {
          assertThat(deployment.getSpec().getTemplate().getSpec().getContainers())
            .as("%s port %s in the pods of %s", where, target.getValue(), deployment.getMetadata().getName())
            .anySatisfy(c -> assertThat(Ports.find(c, target)).isPresent());
        }
      }
    }
  }

  @Test
  void clientsReachTheGatewaysThroughALoadBalancer() {
    Service gateway = manifests.get(Service.class, "ferry-gateway");

    assertThat(gateway.getSpec().getType()).isEqualTo("LoadBalancer");
    // The limits per client address need the clients' own addresses.
    assertThat(gateway.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    assertThat(gateway.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort()).isEqualTo(2121);
      assertThat(p.getProtocol()).isEqualTo("TCP");
    });
    assertThat(manifests.all(Deployment.class))
      .filteredOn(d -> Manifests.selects(gateway.getSpec().getSelector(), Manifests.podLabels(d)))
      .containsExactly(manifests.deployment("gateway"));
  }

  @Test
  void hazelcastFindsEveryMemberThroughAHeadlessServicePublishingNotReadyPods() {
    Service hazelcast = manifests.get(Service.class, "ferry-hazelcast");

    assertThat(hazelcast.getSpec().getClusterIP()).isEqualTo("None");
    // A pod is ready only after it joined the cluster, which needs this lookup first.
    assertThat(hazelcast.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(hazelcast.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(5701));
    assertThat(manifests.all(Deployment.class))
      .allSatisfy(d -> assertThat(Manifests.selects(hazelcast.getSpec().getSelector(), Manifests.podLabels(d)))
        .as(d.getMetadata().getName() + " is a member").isTrue());
  }

  @Test
  void onlyFerryPodsReachTheHazelcastAndEventBusPorts() {
    List<NetworkPolicy> policies = manifests.all(NetworkPolicy.class).stream()
      .filter(p -> manifests.all(Deployment.class).stream()
        .anyMatch(d -> Manifests.selects(p.getSpec().getPodSelector(), Manifests.podLabels(d))))
      .toList();
    assertThat(policies).as("a policy covers the Ferry pods").isNotEmpty();
    assertThat(manifests.all(Deployment.class)).allSatisfy(d -> assertThat(policies)
      .as(d.getMetadata().getName() + " is isolated for ingress")
      .anyMatch(p -> Manifests.selects(p.getSpec().getPodSelector(), Manifests.podLabels(d))
        && p.getSpec().getPolicyTypes().contains("Ingress")));

    Set<Integer> allowed = new HashSet<>();
    // Policies add up: every rule of every policy on Ferry pods must keep the cluster ports closed.
    for (NetworkPolicy policy : policies) {
      for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
        String where = "NetworkPolicy " + policy.getMetadata().getName() + " rule " + rule;
        assertThat(rule.getPorts()).as(where + " names its ports (none = every port)").isNotEmpty();
        Set<Integer> ports = new HashSet<>();
        rule.getPorts().forEach(p -> ports.add(number(p)));
        allowed.addAll(ports);
        if (rule.getFrom().isEmpty()) {
          assertThat(ports).as(where + " is open to everyone").isSubsetOf(OPEN_PORTS);
        } else if (ports.stream().anyMatch(CLUSTER_PORTS::contains)) {
          assertThat(rule.getFrom()).as(where).allSatisfy(NetworkingTest::assertOnlyFerryPodsOfThisNamespace);
        }
        if (ports.contains(OPS_PORT) && !rule.getFrom().isEmpty()) {
          assertThat(rule.getFrom()).as(where).allSatisfy(peer -> {
            assertThat(peer.getIpBlock()).as("no address ranges").isNull();
            assertThat(peer.getNamespaceSelector()).as("the monitoring namespace").isNotNull();
            assertThat(peer.getNamespaceSelector().getMatchLabels()).isEqualTo(MONITORING);
            assertThat(peer.getNamespaceSelector().getMatchExpressions()).isNullOrEmpty();
          });
        }
      }
    }
    assertThat(allowed).as("ports Ferry needs reachable").containsAll(CLUSTER_PORTS).containsAll(OPEN_PORTS).contains(OPS_PORT);
  }

  @Test
  void connectionsFromFerryPodsGoOnlyToTheClusterDnsAndOtherFerryPods() {
    List<NetworkPolicy> policies = manifests.all(NetworkPolicy.class).stream()
      .filter(p -> p.getSpec().getPolicyTypes().contains("Egress"))
      .toList();
    assertThat(manifests.all(Deployment.class)).allSatisfy(d -> assertThat(policies)
      .as(d.getMetadata().getName() + " is isolated for egress")
      .anyMatch(p -> Manifests.selects(p.getSpec().getPodSelector(), Manifests.podLabels(d))));
    Set<String> reached = new HashSet<>();
    for (NetworkPolicy policy : policies) {
      for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
        String where = "NetworkPolicy " + policy.getMetadata().getName() + " egress rule " + rule;
        assertThat(rule.getTo()).as(where + " names its peers (none = anywhere)").isNotEmpty();
        assertThat(rule.getPorts()).as(where + " names its ports (none = every port)").isNotEmpty();
        for (NetworkPolicyPeer peer : rule.getTo()) {
          assertThat(peer.getIpBlock()).as(where + ": no address ranges").isNull();
          if (peer.getNamespaceSelector() == null && isDatabase(peer)) {
            assertThat(manifests.all(Deployment.class))
              .filteredOn(d -> Manifests.selects(policy.getSpec().getPodSelector(), Manifests.podLabels(d)))
              .as(where + ": only the services that keep accounts and limits reach the database")
              .extracting(d -> Manifests.podLabels(d).get("app.kubernetes.io/component"))
              .containsExactlyInAnyOrder("auth", "quota");
            rule.getPorts().forEach(p -> assertThat(number(p)).as(where).isEqualTo(DATABASE_PORT));
            reached.add("database:" + DATABASE_PORT);
          } else if (peer.getNamespaceSelector() == null) {
            assertOnlyFerryPodsOfThisNamespace(peer);
            rule.getPorts().forEach(p -> assertThat(number(p)).as(where).isIn(CLUSTER_PORTS));
            rule.getPorts().forEach(p -> reached.add("ferry:" + number(p)));
          } else {
            assertThat(peer.getNamespaceSelector().getMatchLabels()).as(where).isEqualTo(KUBE_SYSTEM);
            assertThat(peer.getPodSelector()).as(where + ": the DNS pods, not all of kube-system").isNotNull();
            assertThat(peer.getPodSelector().getMatchLabels()).as(where).isEqualTo(Map.of("k8s-app", "kube-dns"));
            for (NetworkPolicyPort port : rule.getPorts()) {
              assertThat(port.getPort().getIntVal()).as(where).isEqualTo(53);
              reached.add("dns:" + port.getProtocol());
            }
          }
        }
      }
    }
    assertThat(reached).as("what Ferry needs to reach")
      .contains("ferry:5701", "ferry:5702", "dns:UDP", "dns:TCP", "database:" + DATABASE_PORT);
  }

  /** A peer of the PostgreSQL pods (a CloudNativePG Cluster's label), not of Ferry's. */
  private static boolean isDatabase(NetworkPolicyPeer peer) {
    return peer.getPodSelector() != null && peer.getPodSelector().getMatchLabels() != null
      && peer.getPodSelector().getMatchLabels().containsKey("cnpg.io/cluster")
      && !peer.getPodSelector().getMatchLabels().containsKey("app.kubernetes.io/part-of");
  }

  private static void assertOnlyFerryPodsOfThisNamespace(NetworkPolicyPeer peer) {
    assertThat(peer.getIpBlock()).as("no address ranges").isNull();
    assertThat(peer.getNamespaceSelector()).as("no other namespaces").isNull();
    assertThat(peer.getPodSelector()).isNotNull();
    assertThat(peer.getPodSelector().getMatchLabels()).as("only pods labelled part of Ferry").containsAllEntriesOf(FERRY);
  }

  /** A policy port by number; a name is resolved against the Ferry containers' ports. */
  private static int number(NetworkPolicyPort port) {
    assertThat(port.getProtocol()).isIn(null, "TCP");
    assertThat(port.getPort()).as("a port, not all of them").isNotNull();
    assertThat(port.getEndPort()).as("no port ranges").isNull();
    if (port.getPort().getIntVal() != null) {
      return port.getPort().getIntVal();
    }
    return manifests.all(Deployment.class).stream()
      .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
      .map(container -> Ports.find(container, port.getPort()))
      .flatMap(Optional::stream)
      .findFirst()
      .orElseThrow(() -> new AssertionError("no Ferry container declares port " + port.getPort().getStrVal()));
  }

  @Test
  void disruptionBudgetsEachCoverOneDeploymentWithoutBlockingDrains() {
    for (PodDisruptionBudget budget : manifests.all(PodDisruptionBudget.class)) {
      String where = "PodDisruptionBudget " + budget.getMetadata().getName();
      List<Deployment> covered = manifests.all(Deployment.class).stream()
        .filter(d -> Manifests.selects(budget.getSpec().getSelector(), Manifests.podLabels(d))).toList();
      assertThat(covered).as(where + " selects one Deployment").hasSize(1);
      int replicas = covered.get(0).getSpec().getReplicas();
      assertThat(budget.getSpec().getMaxUnavailable() != null || budget.getSpec().getMinAvailable() != null).as(where).isTrue();
      if (budget.getSpec().getMinAvailable() != null && budget.getSpec().getMinAvailable().getIntVal() != null) {
        assertThat(budget.getSpec().getMinAvailable().getIntVal()).as(where + " must let one pod go").isLessThan(replicas);
      }
      if (budget.getSpec().getMaxUnavailable() != null && budget.getSpec().getMaxUnavailable().getIntVal() != null) {
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).as(where + " lets a pod go but keeps one")
          .isPositive().isLessThan(replicas);
      }
    }
    assertThat(manifests.all(Deployment.class)).filteredOn(d -> d.getSpec().getReplicas() > 1)
      .allSatisfy(d -> assertThat(manifests.all(PodDisruptionBudget.class))
        .as(d.getMetadata().getName() + " has a disruption budget")
        .anyMatch(b -> Manifests.selects(b.getSpec().getSelector(), Manifests.podLabels(d))));
  }
}
