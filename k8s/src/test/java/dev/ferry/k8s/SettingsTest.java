package dev.ferry.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment each container gets: only real Ferry settings, values that agree with the
 * ports, volumes and Services around them, and secrets from the Secrets the design names.
 */
class SettingsTest {

  /** The variables that are not Ferry settings, each with a reason to be there. */
  private static final Set<String> OTHER_VARIABLES = Set.of(
    "POD_NAMESPACE",      // builds FERRY_CLUSTER_KUBERNETES_SERVICE, so an overlay may move the namespace
    "JAVA_TOOL_OPTIONS"); // the JVM's memory ceilings, fitted to each container's limit

  private static Manifests manifests;

  @BeforeAll
  static void render() {
    manifests = KustomizeBase.load();
  }

  private static Map<String, String> env(String service) {
    Deployment deployment = manifests.deployment(service);
    return ContainerEnvironment.of(deployment.getSpec().getTemplate().getSpec().getContainers().get(0), deployment, manifests);
  }

  private static Container container(String service) {
    return manifests.deployment(service).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void theReadmeTableIsWhereTheSettingsAreRead() {
    assertThat(FerrySettings.inReadme(KustomizeBase.moduleDirectory().resolveSibling("README.md")))
      .as("README.md's settings table, parsed").contains("FERRY_DATA", "FERRY_TOKEN_PUBLIC_KEY_PATH", "FERRY_TLS_CERT_PATH").hasSizeGreaterThan(15);
  }

  @Test
  void everyVariableIsARealFerrySettingOrHasAReason() {
    Set<String> known = FerrySettings.known();
    for (String service : WorkloadsTest.SERVICES) {
      assertThat(env(service).keySet()).as(service).allSatisfy(name -> {
        if (name.startsWith("FERRY_")) {
          assertThat(known).as("%s sets %s, which is not in README.md's settings table", service, name).contains(name);
        } else {
          assertThat(OTHER_VARIABLES).as("%s sets %s", service, name).contains(name);
        }
      });
    }
  }

  @Test
  void everyConfigMapAndSecretReferenceNamesAnExistingKey() {
    for (Deployment deployment : manifests.all(Deployment.class)) {
      for (Container container : Manifests.containers(deployment).toList()) {
        container.getEnvFrom().forEach(from -> assertThat(manifests.find(ConfigMap.class, from.getConfigMapRef().getName()))
          .as(deployment.getMetadata().getName()).isPresent());
        for (EnvVar variable : container.getEnv()) {
          SecretKeySelector ref = variable.getValueFrom() == null ? null : variable.getValueFrom().getSecretKeyRef();
          if (ref != null) {
            assertThat(keys(manifests.get(Secret.class, ref.getName())))
              .as("%s %s: Secret %s", deployment.getMetadata().getName(), variable.getName(), ref.getName()).contains(ref.getKey());
          }
        }
      }
    }
  }

  private static Set<String> keys(Secret secret) {
    Set<String> keys = new HashSet<>();
    keys.addAll(secret.getData().keySet());
    keys.addAll(secret.getStringData().keySet());
    return keys;
  }

  @Test
  void eachProcessAnnouncesItsPodIpAndFindsTheOthersThroughTheHeadlessService() {
    Service hazelcast = manifests.get(Service.class, "ferry-hazelcast");
    String dnsName = hazelcast.getMetadata().getName() + "." + hazelcast.getMetadata().getNamespace() + ".svc.cluster.local";
    for (String service : WorkloadsTest.SERVICES) {
      Map<String, String> env = env(service);
      assertThat(env).as(service)
        .containsEntry("FERRY_CLUSTER_HOST", "<fieldRef status.podIP>")
        .containsEntry("FERRY_CLUSTER_KUBERNETES_SERVICE", dnsName)
        .containsEntry("FERRY_HTTP_HOST", "0.0.0.0")
        .doesNotContainKey("FERRY_CLUSTER_MEMBERS");
    }
    assertThat(env("gateway")).containsEntry("FERRY_HOST", "0.0.0.0");
  }

  @Test
  void portSettingsAgreeWithTheDeclaredPorts() {
    for (String service : WorkloadsTest.SERVICES) {
      Map<String, String> env = env(service);
      Container container = container(service);
      assertThat(env.get("FERRY_HTTP_PORT")).as(service).isEqualTo(Integer.toString(Ports.named(container, "http")));
      assertThat(env.get("FERRY_CLUSTER_PORT")).as(service).isEqualTo(Integer.toString(Ports.named(container, "hazelcast")));
      assertThat(env.get("FERRY_EVENT_BUS_PORT")).as(service).isEqualTo(Integer.toString(Ports.named(container, "eventbus")));
    }
    assertThat(env("gateway").get("FERRY_PORT")).isEqualTo(Integer.toString(Ports.named(container("gateway"), "ferry")));
    assertThat(env("gateway").get("FERRY_TLS")).isIn(null, "true");
  }

  @Test
  void servicesThatKeepDataMountTheSharedVolumeWhereFerryDataPoints() {
    PersistentVolumeClaim claim = manifests.get(PersistentVolumeClaim.class, "ferry-data");
    for (String service : WorkloadsTest.SERVICES) {
      assertThat(env(service)).as(service).containsEntry("FERRY_DATA", "/data");
    }
    for (String service : Set.of("auth", "quota", "storage")) {
      PodSpec pod = manifests.deployment(service).getSpec().getTemplate().getSpec();
      VolumeMount mount = container(service).getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/data")).findFirst()
        .orElseThrow(() -> new AssertionError(service + " mounts nothing at /data"));
      assertThat(mount.getReadOnly()).as(service).isNotEqualTo(Boolean.TRUE);
      Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
      assertThat(volume.getPersistentVolumeClaim()).as(service).isNotNull();
      assertThat(volume.getPersistentVolumeClaim().getClaimName()).as(service).isEqualTo(claim.getMetadata().getName());
    }
  }

  @Test
  void secretsReachTheServicesThatNeedThem() {
    for (String service : WorkloadsTest.SERVICES) {
      assertThat(env(service)).as(service).containsEntry("FERRY_TOKEN_PUBLIC_KEY_PATH", "/etc/ferry/token-public/token-public.pem");
      assertThat(secretMountedAt(service, "/etc/ferry/token-public")).as(service).isEqualTo("ferry-token-public");
    }
    // Only auth-service can mint identity: the signing key is in its pod and no other.
    assertThat(env("auth")).containsEntry("FERRY_TOKEN_PRIVATE_KEY_PATH", "/etc/ferry/token-signing/token-private.pem");
    assertThat(secretMountedAt("auth", "/etc/ferry/token-signing")).isEqualTo("ferry-token-signing");
    for (String service : WorkloadsTest.SERVICES) {
      if (!service.equals("auth")) {
        assertThat(env(service)).as(service).doesNotContainKey("FERRY_TOKEN_PRIVATE_KEY_PATH");
        assertThat(manifests.deployment(service).getSpec().getTemplate().getSpec().getVolumes())
          .as(service + " mounts no signing key").noneMatch(v -> v.getSecret() != null
            && v.getSecret().getSecretName().equals("ferry-token-signing"));
      }
    }

    Map<String, String> gateway = env("gateway");
    assertThat(gateway).containsEntry("FERRY_TLS_CERT_PATH", "/etc/ferry/tls/tls.crt")
      .containsEntry("FERRY_TLS_KEY_PATH", "/etc/ferry/tls/tls.key");
    VolumeMount mount = container("gateway").getVolumeMounts().stream()
      .filter(m -> m.getMountPath().equals("/etc/ferry/tls")).findFirst().orElseThrow();
    Volume volume = manifests.deployment("gateway").getSpec().getTemplate().getSpec().getVolumes().stream()
      .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    assertThat(volume.getSecret().getSecretName()).isEqualTo("ferry-tls");
    Secret tls = manifests.get(Secret.class, "ferry-tls");
    assertThat(tls.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(keys(tls)).contains("tls.crt", "tls.key");
  }

  /** Every SFTP replica reads the one host key of its Secret, from where the setting points, on every interface's port 2222. */
  @Test
  void theSftpDoorShowsTheHostKeyOfItsSecretOnPort2222() {
    Map<String, String> sftp = env("sftp");
    assertThat(sftp).containsEntry("FERRY_SFTP_HOST", "0.0.0.0")
      .containsEntry("FERRY_SFTP_PORT", Integer.toString(Ports.named(container("sftp"), "sftp")));
    assertThat(container("sftp").getArgs()).containsSubsequence("--services", "sftp");
    Path key = Path.of(sftp.get("FERRY_SFTP_HOST_KEY_PATH"));
    VolumeMount mount = container("sftp").getVolumeMounts().stream()
      .filter(m -> m.getMountPath().equals(key.getParent().toString())).findFirst().orElseThrow();
    Volume volume = manifests.deployment("sftp").getSpec().getTemplate().getSpec().getVolumes().stream()
      .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    assertThat(volume.getSecret().getSecretName()).isEqualTo("ferry-sftp-host-key");
    assertThat(keys(manifests.get(Secret.class, "ferry-sftp-host-key"))).contains(key.getFileName().toString());
    assertThat(sftp).as("the door holds no TLS key of the gateway").doesNotContainKey("FERRY_TLS_KEY_PATH");
  }

  /**
   * The bootstrap admin password reaches auth only, as a file of an optional Secret read on the
   * first start (so the Secret can be deleted), never as an environment variable: those every
   * process of the container inherits, for the pod's whole life.
   */
  @Test
  void theBootstrapAdminPasswordIsAFileOfAnOptionalSecretMountedInAuthOnly() {
    for (Deployment deployment : manifests.all(Deployment.class)) {
      Map<String, String> env = ContainerEnvironment.of(deployment.getSpec().getTemplate().getSpec().getContainers().get(0),
        deployment, manifests);
      assertThat(env).as(deployment.getMetadata().getName()).doesNotContainKey("FERRY_ADMIN_PASSWORD");
      assertThat(env.values()).as(deployment.getMetadata().getName()).noneMatch(v -> v.contains("ferry-admin-password"));
      boolean mounts = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
        .anyMatch(v -> v.getSecret() != null && "ferry-admin-password".equals(v.getSecret().getSecretName()));
      assertThat(mounts).as(deployment.getMetadata().getName() + " mounts the admin password")
        .isEqualTo(deployment == manifests.deployment("auth"));
    }
    String path = env("auth").get("FERRY_ADMIN_PASSWORD_PATH");
    assertThat(path).isEqualTo("/etc/ferry/admin/password");
    VolumeMount mount = container("auth").getVolumeMounts().stream()
      .filter(m -> path.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
    assertThat(mount.getReadOnly()).isTrue();
    Volume volume = manifests.deployment("auth").getSpec().getTemplate().getSpec().getVolumes().stream()
      .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    assertThat(volume.getSecret().getSecretName()).isEqualTo("ferry-admin-password");
    assertThat(volume.getSecret().getOptional()).as("auth must start once the Secret is deleted").isTrue();
    assertThat(keys(manifests.get(Secret.class, "ferry-admin-password")))
      .contains(path.substring(mount.getMountPath().length() + 1));
    assertThat(manifests.all(Secret.class)).as("no Secret but ferry-admin-password holds it")
      .noneMatch(secret -> !secret.getMetadata().getName().equals("ferry-admin-password")
        && keys(secret).contains("admin-password"));
  }

  /**
   * auth and quota keep accounts and limits in PostgreSQL, with the same URL; the password
   * reaches them as a file of the mounted Secret ferry-database, never as an environment variable
   * or in the URL, and no other pod gets either.
   */
  @Test
  void theDatabaseIsSharedByAuthAndQuotaWithItsPasswordAMountedFile() {
    Set<String> storeKeepers = Set.of("auth", "quota");
    for (String service : WorkloadsTest.SERVICES) {
      Map<String, String> env = env(service);
      assertThat(env).as(service).doesNotContainKey("FERRY_DATABASE_PASSWORD");
      boolean mounts = manifests.deployment(service).getSpec().getTemplate().getSpec().getVolumes().stream()
        .anyMatch(v -> v.getSecret() != null && "ferry-database".equals(v.getSecret().getSecretName()));
      assertThat(mounts).as(service + " mounts the database password").isEqualTo(storeKeepers.contains(service));
      if (!storeKeepers.contains(service)) {
        assertThat(env).as(service + " never talks to the database")
          .doesNotContainKeys("FERRY_ACCOUNT_STORE", "FERRY_DATABASE_URL", "FERRY_DATABASE_PASSWORD_FILE");
        continue;
      }
      assertThat(env).as(service).containsEntry("FERRY_ACCOUNT_STORE", "postgres")
        .containsEntry("FERRY_DATABASE_URL", env("auth").get("FERRY_DATABASE_URL"));
      assertThat(env.get("FERRY_DATABASE_URL")).as(service + ": user, host, port and database, no password, no ?sslmode")
        .matches("postgresql://[a-z0-9_]+@[a-z0-9.-]+:5432/[a-z0-9_]+");
      assertThat(env.get("FERRY_DATABASE_SSL_MODE")).as(service + ": the database only over TLS")
        .isIn("require", "verify-ca", "verify-full");
      String path = env.get("FERRY_DATABASE_PASSWORD_FILE");
      assertThat(path).as(service).isEqualTo("/etc/ferry/database/password");
      VolumeMount mount = container(service).getVolumeMounts().stream()
        .filter(m -> path.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
      assertThat(mount.getReadOnly()).as(service).isTrue();
      assertThat(secretMountedAt(service, mount.getMountPath())).as(service).isEqualTo("ferry-database");
      Secret secret = manifests.get(Secret.class, "ferry-database");
      assertThat(keys(secret)).contains(path.substring(mount.getMountPath().length() + 1));
      // CloudNativePG takes its application user's password from a Secret of this form.
      assertThat(secret.getType()).isEqualTo("kubernetes.io/basic-auth");
      assertThat(value(secret, "username")).isEqualTo(env.get("FERRY_DATABASE_URL").replaceFirst("postgresql://([^@]+)@.*", "$1"));
    }
  }

  @Test
  void placeholderSecretsAreOnesFerryRefusesToStartWith() {
    // auth-service refuses an admin password under 8 characters (AuthOptions.MIN_PASSWORD_LENGTH),
    // every service token keys that are not PEM: a forgotten placeholder stops Ferry instead of
    // running it with a password and key published in this repository.
    assertThat(value(manifests.get(Secret.class, "ferry-admin-password"), "password")).hasSizeLessThan(8);
    assertThat(value(manifests.get(Secret.class, "ferry-token-signing"), "token-private.pem")).doesNotContain("BEGIN");
    assertThat(value(manifests.get(Secret.class, "ferry-token-public"), "token-public.pem")).doesNotContain("BEGIN");
    Secret tls = manifests.get(Secret.class, "ferry-tls");
    assertThat(value(tls, "tls.crt")).doesNotContain("BEGIN");
    assertThat(value(tls, "tls.key")).doesNotContain("BEGIN");
    assertThat(value(manifests.get(Secret.class, "ferry-database"), "password")).startsWith("REPLACE-ME");
  }

  /** The Secret mounted at {@code path} in {@code service}'s container. */
  private static String secretMountedAt(String service, String path) {
    VolumeMount mount = container(service).getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
      .orElseThrow(() -> new AssertionError(service + " mounts nothing at " + path));
    Volume volume = manifests.deployment(service).getSpec().getTemplate().getSpec().getVolumes().stream()
      .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    return volume.getSecret() == null ? null : volume.getSecret().getSecretName();
  }

  private static String value(Secret secret, String key) {
    String plain = secret.getStringData().get(key);
    if (plain != null) {
      return plain;
    }
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
