package dev.ferry.server;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cluster's TLS material and the attestation members check each other's node info with. */
class ClusterCredentialsTest {

  @TempDir
  Path work;

  @Test
  void aMemberAttestsItsOwnNodeAndNoOtherOne() throws Exception {
    ClusterCredentials a = member(work.resolve("tls"), "a");
    ClusterCredentials b = member(work.resolve("tls"), "b");
    JsonObject metadata = a.attest(new JsonObject().put("kept", 1), "node-a", "10.0.0.1", 5702);
    assertThat(metadata.getInteger("kept")).isEqualTo(1);

    assertThat(b.verify("node-a", new NodeInfo("10.0.0.1", 5702, metadata))).isTrue();
    // The same attestation borrowed for another node id or another address proves nothing.
    assertThat(b.verify("node-x", new NodeInfo("10.0.0.1", 5702, metadata))).isFalse();
    assertThat(b.verify("node-a", new NodeInfo("10.0.0.9", 5702, metadata))).isFalse();
    assertThat(b.verify("node-a", new NodeInfo("10.0.0.1", 5703, metadata))).isFalse();
    // Nothing, garbage or a bad signature.
    assertThat(b.verify("node-a", new NodeInfo("10.0.0.1", 5702, null))).isFalse();
    assertThat(b.verify("node-a", new NodeInfo("10.0.0.1", 5702, new JsonObject()))).isFalse();
    JsonObject garbage = metadata.copy().put(ClusterCredentials.CERTIFICATE_FIELD, "not base64 !");
    assertThat(b.verify("node-a", new NodeInfo("10.0.0.1", 5702, garbage))).isFalse();
    byte[] signature = Base64.getDecoder().decode(metadata.getString(ClusterCredentials.SIGNATURE_FIELD));
    signature[signature.length / 2] ^= 1;
    JsonObject tampered = metadata.copy().put(ClusterCredentials.SIGNATURE_FIELD, Base64.getEncoder().encodeToString(signature));
    assertThat(b.verify("node-a", new NodeInfo("10.0.0.1", 5702, tampered))).isFalse();
  }

  @Test
  void aMemberOfAnotherCaIsNotAttested() throws Exception {
    ClusterCredentials ours = member(work.resolve("ours"), "a");
    ClusterCredentials theirs = member(work.resolve("theirs"), "rogue");
    JsonObject metadata = theirs.attest(null, "node-r", "127.0.0.1", 5702);
    assertThat(theirs.verify("node-r", new NodeInfo("127.0.0.1", 5702, metadata))).isTrue();
    assertThat(ours.verify("node-r", new NodeInfo("127.0.0.1", 5702, metadata))).isFalse();
    // The CA's own certificate, signed by itself, is no member either.
    JsonObject caAsMember = ours.attest(null, "node-c", "127.0.0.1", 5702).put(ClusterCredentials.CERTIFICATE_FIELD,
      Base64.getEncoder().encodeToString(ClusterCredentials.readCertificates(work.resolve("ours/ca.crt")).get(0).getEncoded()));
    assertThat(ours.verify("node-c", new NodeInfo("127.0.0.1", 5702, caAsMember))).isFalse();
  }

  @Test
  void settingsMissingOrMismatchedStopTheStartWithWhatToDo() throws Exception {
    assertThatThrownBy(() -> ClusterCredentials.load(new JsonObject()))
      .isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("clusterTlsCertPath (FERRY_CLUSTER_TLS_CERT_PATH)")
      .hasMessageContaining("clusterTlsKeyPath (FERRY_CLUSTER_TLS_KEY_PATH)")
      .hasMessageContaining("clusterTlsCaPath (FERRY_CLUSTER_TLS_CA_PATH)")
      .hasMessageContaining("clusterSecretPath (FERRY_CLUSTER_SECRET_PATH)")
      .hasMessageContaining("--cluster-certs");
    ClusterCertificates.issue(work.resolve("ours"), "a");
    ClusterCertificates.issue(work.resolve("theirs"), "b");
    assertThatThrownBy(() -> ClusterCredentials.load(settings(work.resolve("theirs"), "b", work.resolve("ours/ca.crt"))))
      .hasMessageContaining("not a valid certificate issued by the cluster CA");
    JsonObject wrongKey = settings(work.resolve("ours"), "a", work.resolve("ours/ca.crt"))
      .put(Setting.CLUSTER_TLS_KEY_PATH.key(), work.resolve("theirs/b.key").toString());
    assertThatThrownBy(() -> ClusterCredentials.load(wrongKey)).hasMessageContaining("is not the key of");
  }

  @Test
  void theHazelcastClusterNameIsAnHmacOfTheSecretAndAShortSecretIsRefused() throws Exception {
    ClusterCredentials a = member(work.resolve("ours"), "a");
    String secret = Files.readString(work.resolve("ours").resolve(ClusterCertificates.SECRET)).trim();
    assertThat(a.clusterName()).startsWith("ferry-").doesNotContain(secret).isNotEqualTo(member(work.resolve("theirs"), "b").clusterName());
    // The same secret without its trailing newline names the same cluster.
    Files.writeString(work.resolve("ours").resolve(ClusterCertificates.SECRET), secret);
    assertThat(ClusterCredentials.load(settings(work.resolve("ours"), "a", work.resolve("ours/ca.crt"))).clusterName())
      .isEqualTo(a.clusterName());

    Files.writeString(work.resolve("ours").resolve(ClusterCertificates.SECRET), "x".repeat(ClusterCredentials.MIN_SECRET_BYTES - 1) + "\n");
    assertThatThrownBy(() -> ClusterCredentials.load(settings(work.resolve("ours"), "a", work.resolve("ours/ca.crt"))))
      .hasMessageContaining("the cluster secret needs at least 32");
  }

  @Test
  void theEventBusRequiresClientCertificatesOfTheClusterCa() throws Exception {
    EventBusOptions options = member(work, "a").secure(new EventBusOptions());
    assertThat(options.isSsl()).isTrue();
    assertThat(options.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(options.isTrustAll()).isFalse();
    assertThat(options.getTrustOptions()).isNotNull();
    assertThat(options.getKeyCertOptions()).isNotNull();
  }

  @Test
  void keysAreOwnerOnlyAndMemberNamesArePlainFileNames() throws Exception {
    ClusterCertificates.issue(work, "auth-1");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("auth-1.key")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("ca.key")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve(ClusterCertificates.SECRET))))
      .isEqualTo("rw-------");
    assertThatThrownBy(() -> ClusterCertificates.issue(work, "../escape")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClusterCertificates.issue(work, "ca")).isInstanceOf(IllegalArgumentException.class);
    assertThat(work.resolveSibling("escape.key")).doesNotExist();
  }

  @Test
  void theLauncherMakesACaAndOneCertificatePerMember() throws Exception {
    Path dir = work.resolve("ferry-ca");
    assertThat(new picocli.CommandLine(new Main()).execute("--cluster-certs", dir.toString(), "gateway", "storage")).isZero();
    ClusterCredentials gateway = ClusterCredentials.load(settings(dir, "gateway", dir.resolve("ca.crt")));
    ClusterCredentials storage = ClusterCredentials.load(settings(dir, "storage", dir.resolve("ca.crt")));
    assertThat(storage.verify("n", new NodeInfo("h", 1, gateway.attest(null, "n", "h", 1)))).isTrue();
    // A second run keeps the CA: members issued before still belong.
    assertThat(new picocli.CommandLine(new Main()).execute("--cluster-certs", dir.toString(), "quota")).isZero();
    ClusterCredentials quota = ClusterCredentials.load(settings(dir, "quota", dir.resolve("ca.crt")));
    assertThat(quota.verify("n", new NodeInfo("h", 1, gateway.attest(null, "n", "h", 1)))).isTrue();
    // And the secret: all three are one Hazelcast cluster.
    assertThat(quota.clusterName()).isEqualTo(gateway.clusterName()).isEqualTo(storage.clusterName());
    assertThat(new picocli.CommandLine(new Main()).execute("--cluster-certs", dir.toString(), "bad/name")).isEqualTo(2);
  }

  private static ClusterCredentials member(Path dir, String name) throws Exception {
    ClusterCertificates.issue(dir, name);
    return ClusterCredentials.load(settings(dir, name, dir.resolve(ClusterCertificates.CA_CERT)));
  }

  private static JsonObject settings(Path dir, String name, Path ca) {
    return new JsonObject()
      .put(Setting.CLUSTER_TLS_CERT_PATH.key(), dir.resolve(name + ".crt").toString())
      .put(Setting.CLUSTER_TLS_KEY_PATH.key(), dir.resolve(name + ".key").toString())
      .put(Setting.CLUSTER_TLS_CA_PATH.key(), ca.toString())
      .put(Setting.CLUSTER_SECRET_PATH.key(), dir.resolve(ClusterCertificates.SECRET).toString());
  }
}
